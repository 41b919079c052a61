package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.source.MjpegClips;
import io.vigil.video.source.SampleMedia;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraGatewayTest {
    static final class ListPublisher implements FramePublisher {
        final List<FrameRecord> frames = Collections.synchronizedList(new ArrayList<>());

        @Override public void publish(FrameRecord frame, Consumer<Exception> onDone) { frames.add(frame); onDone.accept(null); }
        @Override public void flush() {}
        @Override public void close() {}
    }

    @Test
    void keepsEveryFrameWithSeqEqualToSourceIndex() throws Exception {
        ListPublisher pub = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub)) {
            gw.start(CameraConfig.builder().id("cam-1").source(SampleMedia.require(SampleMedia.VTEST).toString())
                    .paced(false).maxFrames(30).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(30)));
            assertEquals(30, gw.stats().get(0).published());
        }
        assertEquals(30, pub.frames.size());
        for (int i = 0; i < 30; i++) {
            assertEquals(i, pub.frames.get(i).seq());
            // the shipped default: 768x576 fitted into the default detector's 416x416 box
            assertEquals(416, pub.frames.get(i).width());
            assertEquals(312, pub.frames.get(i).height());
        }
    }

    @Test
    void anMjpegCameraThatFitsIsPublishedAsItsOwnJpegs(@TempDir Path dir) throws Exception {
        Path small = MjpegClips.write(dir.resolve("small.avi"), 10, 416, 312);
        Path big = MjpegClips.write(dir.resolve("big.avi"), 10, 768, 576);
        List<byte[]> own = MjpegClips.packets(small);
        ListPublisher pub = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub)) {
            gw.start(CameraConfig.builder().id("fits").source(small.toString()).paced(false).build());
            gw.start(CameraConfig.builder().id("big").source(big.toString()).paced(false).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(30)));
            assertEquals(10, gw.stats("fits").orElseThrow().asCaptured(), "every frame of the 416x312 MJPEG as captured");
            assertEquals(0, gw.stats("big").orElseThrow().asCaptured(), "768x576 does not fit the default 416x416: re-encoded");
        }
        List<FrameRecord> fits = pub.frames.stream().filter(f -> f.camera().equals("fits")).toList();
        assertEquals(10, fits.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(own.get(i), fits.get(i).payload(), "frame " + i + " is the camera's own JPEG");
            assertEquals(416, fits.get(i).width());
        }
        for (FrameRecord f : pub.frames) if (f.camera().equals("big")) assertEquals(416, f.width());
    }

    @Test
    void aCameraOrTheGatewayCanAskForTheFullSize() throws Exception {
        String vtest = SampleMedia.require(SampleMedia.VTEST).toString();
        ListPublisher pub = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub)) {
            gw.start(CameraConfig.builder().id("full").source(vtest).paced(false).maxFrames(3).fullSize().build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(30)));
        }
        ListPublisher wide = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(wide, StatusSink.NONE, GatewayOptions.defaults().withPublishSize(PublishSize.parse("640x640")))) {
            gw.start(CameraConfig.builder().id("wide").source(vtest).paced(false).maxFrames(3).build());
            gw.start(CameraConfig.builder().id("own").source(vtest).paced(false).maxFrames(3).maxSize(192, 0).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(30)));
        }
        assertEquals(3, pub.frames.size());
        for (var f : pub.frames) assertEquals(768, f.width(), "fullSize() keeps the camera's 768x576");
        for (var f : wide.frames) {
            if (f.camera().equals("wide")) assertEquals(640, f.width(), "the gateway's 640x640 box");
            else assertEquals(192, f.width(), "the camera's own box wins over the gateway's");
        }
    }

    @Test
    void loopingFileKeepsCountingSeqAndSamplesToTargetFps() throws Exception {
        ListPublisher pub = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub)) {
            // vtest is 10 fps with 795 frames: at 5 fps one pass yields 398 frames; 500 needs a second pass
            gw.start(CameraConfig.builder().id("cam-2").source(SampleMedia.require(SampleMedia.VTEST).toString())
                    .paced(false).loop(true).targetFps(5).maxSize(192, 192).maxFrames(500).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(60)));
        }
        assertEquals(500, pub.frames.size());
        for (int i = 0; i < 500; i++) assertEquals(i, pub.frames.get(i).seq());
        assertEquals(192, pub.frames.get(0).width());
        assertEquals(144, pub.frames.get(0).height());
    }

    @Test
    void pacedFileCarriesItsPacingInstants() throws Exception {
        ListPublisher pub = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub)) {
            gw.start(CameraConfig.builder().id("cam-3").source(SampleMedia.require(SampleMedia.VTEST).toString())
                    .paced(true).maxFrames(5).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(10)));
        }
        for (int i = 1; i < 5; i++) {
            assertEquals(100_000, pub.frames.get(i).tsMicros() - pub.frames.get(i - 1).tsMicros(), 1);
        }
    }

    @Test
    void unreadableSourceFailsThatCameraWithItsName() throws Exception {
        ListPublisher pub = new ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub)) {
            gw.start(CameraConfig.builder().id("bad").source("/no/such/video.avi").build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(10)));
            assertEquals("failed", gw.stats().get(0).state());
            assertTrue(gw.stats().get(0).lastError().contains("/no/such/video.avi"));
        }
    }
}
