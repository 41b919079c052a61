package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayStatusTest {
    /** Files from the sample media cache are allowed camera sources here. */
    static final GatewayOptions MEDIA = GatewayOptions.defaults().withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir())));

    static final class Statuses implements StatusSink {
        final List<CameraStatus> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(CameraStatus s) {
            events.add(s);
        }

        List<String> states(String camera) {
            synchronized (events) {
                return events.stream().filter(e -> e.camera().equals(camera) && e.reason() != null || e.state() == CameraState.STREAMING)
                        .filter(e -> e.camera().equals(camera)).map(e -> e.state().wire()).distinct().toList();
            }
        }
    }

    @Test
    void fileCameraReportsStreamingThenFinished() throws Exception {
        Statuses st = new Statuses();
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub, st, GatewayOptions.defaults().withHeartbeat(Duration.ofMillis(500)))) {
            gw.start(CameraConfig.builder().id("f").source(SampleMedia.require(SampleMedia.VTEST).toString()).paced(false).maxFrames(20).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(30)));
            assertEquals("finished", gw.stats("f").orElseThrow().state());
        }
        assertEquals(List.of("streaming", "finished"), st.states("f"));
        assertEquals(20, pub.frames.size());
    }

    @Test
    void invalidSpecIsReportedAndTheGatewayKeepsGoing() throws Exception {
        Statuses st = new Statuses();
        try (CameraGateway gw = new CameraGateway(new CameraGatewayTest.ListPublisher(), st, MEDIA)) {
            gw.reject("bad", "camera bad: fps must be > 0 in rtsp://u:pw@h/x");
            gw.apply(CameraSpec.of("ok", SampleMedia.require(SampleMedia.VTEST).toString()).withFps(5.0));
            long deadline = System.currentTimeMillis() + 10_000;
            while (gw.stats("ok").orElseThrow().published() < 3 && System.currentTimeMillis() < deadline) Thread.sleep(100);
            assertTrue(gw.stats("ok").orElseThrow().published() >= 3);
            gw.remove("ok");
        }
        CameraStatus rejected = st.events.stream().filter(e -> e.camera().equals("bad")).findFirst().orElseThrow();
        assertEquals(CameraState.FAILED, rejected.state());
        assertTrue(rejected.reason().contains("u:***@h"), rejected.reason());
        assertTrue(st.states("ok").contains("removed"), st.states("ok").toString());
    }

    @Test
    void frameTooLargeForTheTopicIsReportedNotSilentlyLost() throws Exception {
        Statuses st = new Statuses();
        FramePublisher refusing = new FramePublisher() {
            @Override public void publish(io.vigil.video.kafka.FrameRecord frame, java.util.function.Consumer<Exception> onDone) {
                onDone.accept(new org.apache.kafka.common.errors.RecordTooLargeException("The message is " + frame.payload().length + " bytes"));
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        try (CameraGateway gw = new CameraGateway(refusing, st, GatewayOptions.defaults())) {
            gw.start(CameraConfig.builder().id("big").source(SampleMedia.require(SampleMedia.VTEST).toString()).paced(false).maxFrames(3).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(20)));
            assertEquals(3, gw.stats("big").orElseThrow().failed());
        }
        List<CameraStatus> said = st.events.stream().filter(e -> e.reason() != null && e.reason().contains("frame too large")).toList();
        assertEquals(1, said.size(), "said once a minute, not per frame: " + said);
        assertTrue(said.get(0).reason().contains("max.message.bytes") && said.get(0).reason().contains("bytes"), said.get(0).reason());
    }

    /** A JPEG over the gateway's limit is not sent and uses no seq; the camera says so once, then keeps streaming. */
    @Test
    void framesOverTheLimitAreNotSentAndSaidOnceAMinute() throws Exception {
        // the median JPEG size of these frames as the limit: about half are refused, half sent
        CameraGatewayTest.ListPublisher probe = new CameraGatewayTest.ListPublisher();
        try (CameraGateway gw = new CameraGateway(probe, StatusSink.NONE, MEDIA)) {
            gw.start(CameraConfig.builder().id("probe").source(SampleMedia.require(SampleMedia.VTEST).toString()).paced(false)
                    .jpegQuality(95).maxFrames(200).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(60)));
        }
        int limit = probe.frames.stream().mapToInt(f -> f.payload().length).sorted().toArray()[100];
        Statuses st = new Statuses();
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        GatewayOptions opts = MEDIA.withMaxFrameBytes(limit);
        try (CameraGateway gw = new CameraGateway(pub, st, opts)) {
            gw.start(CameraConfig.builder().id("big").source(SampleMedia.require(SampleMedia.VTEST).toString()).paced(false)
                    .jpegQuality(95).maxFrames(100).build());
            assertTrue(gw.awaitFinished(Duration.ofSeconds(60)));
            long failed = gw.stats("big").orElseThrow().failed();
            assertTrue(failed > 10 && pub.frames.size() > 10, "some over the limit (" + failed + "), some sent (" + pub.frames.size() + ")");
            for (int i = 0; i < pub.frames.size(); i++) {
                assertEquals(i, pub.frames.get(i).seq(), "no seq is used by a frame that was not sent");
                assertTrue(pub.frames.get(i).payload().length <= limit);
            }
        }
        List<CameraStatus> said = st.events.stream().filter(e -> e.reason() != null && e.reason().contains("frame too large")).toList();
        assertEquals(1, said.size(), "once a minute per camera: " + said);
        assertTrue(said.get(0).reason().contains("over the limit of " + limit), said.get(0).reason());
    }

    @Test
    void changedSpecRestartsOnlyThatCameraAndSeqContinues() throws Exception {
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        try (CameraGateway gw = new CameraGateway(pub, StatusSink.NONE, MEDIA)) {
            String src = SampleMedia.require(SampleMedia.VTEST).toString();
            gw.apply(CameraSpec.of("a", src).withFps(10.0));
            Thread.sleep(1500);
            gw.apply(CameraSpec.of("a", src).withFps(10.0)); // same spec: nothing happens
            gw.apply(CameraSpec.of("a", src).withFps(5.0).withMaxSize(192, 192));
            Thread.sleep(1500);
        }
        List<io.vigil.video.kafka.FrameRecord> a = pub.frames.stream().filter(f -> f.camera().equals("a")).toList();
        for (int i = 1; i < a.size(); i++) assertTrue(a.get(i).seq() > a.get(i - 1).seq(), "seq keeps increasing at " + i);
        assertEquals(192, a.get(a.size() - 1).width());
        assertEquals(416, a.get(0).width(), "before the change: the gateway's default box");
    }
}
