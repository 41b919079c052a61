package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.source.SampleMedia;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad media as camera sources: the gateway publishes what it can decode, says what was wrong in the camera's status,
 * never hangs, and keeps serving the other cameras. Damaged files are Debian's Megamind_bugy.avi and files made here
 * from vtest.avi with FFmpeg (a 200-frame MPEG-4 clip, then cut in the middle of a frame, or with bytes flipped).
 */
class BadMediaTest {
    @TempDir
    static Path tmp;
    static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = tmp.resolve("clip.mp4");
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-i", SampleMedia.require(SampleMedia.VTEST).toString(),
                "-frames:v", "200", "-c:v", "mpeg4", "-q:v", "5", "-g", "25", "-movflags", "+faststart", "-y", clip.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    /** Runs one camera until it finishes or fails (within {@code limit}: nothing hangs); returns its statuses. */
    private static List<CameraStatus> run(String source, CameraGatewayTest.ListPublisher pub, Duration limit) throws Exception {
        GatewayStatusTest.Statuses st = new GatewayStatusTest.Statuses();
        try (CameraGateway gw = new CameraGateway(pub, st, GatewayOptions.defaults().withHeartbeat(Duration.ofMillis(300)))) {
            gw.start(CameraConfig.builder().id("bad").source(source).paced(false).loop(false).build());
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                String s = gw.stats("bad").map(CameraStats::state).orElse("?");
                if (s.equals("finished") || s.equals("failed")) break;
                Thread.sleep(50);
            }
            String s = gw.stats("bad").map(CameraStats::state).orElse("?");
            assertTrue(s.equals("finished") || s.equals("failed"), source + " ended within " + limit + ", state " + s + ": " + st.events);
        }
        return st.events.stream().filter(e -> e.camera().equals("bad")).toList();
    }

    private static CameraStatus last(List<CameraStatus> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void megamindBugyPublishesWhatDecodesAndFinishes() throws Exception {
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        List<CameraStatus> ev = run(SampleMedia.require("Megamind_bugy.avi").toString(), pub, Duration.ofSeconds(60));
        // FFmpeg decodes every one of its 270 pictures (the file's damage is in what OpenCV's own AVI reader trips on)
        assertEquals(270, pub.frames.size());
        assertEquals(CameraState.FINISHED, last(ev).state());
    }

    @Test
    void aFileCutInTheMiddleOfAFramePublishesItsFramesAndSaysItIsTruncated() throws Exception {
        byte[] all = Files.readAllBytes(clip);
        Path cut = Files.write(tmp.resolve("cut.mp4"), java.util.Arrays.copyOf(all, all.length * 6 / 10 + 333));
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        List<CameraStatus> ev = run(cut.toString(), pub, Duration.ofSeconds(60));
        assertTrue(pub.frames.size() > 50 && pub.frames.size() < 200, "the frames before the cut: " + pub.frames.size());
        CameraStatus end = last(ev);
        assertEquals(CameraState.FINISHED, end.state());
        assertTrue(end.reason().contains("of its 200 frames: it is damaged or truncated"), end.reason());
    }

    @Test
    void flippedBytesEndTheFileEarlyWithTheDamageSaid() throws Exception {
        byte[] b = Files.readAllBytes(clip);
        Random r = new Random(1);
        for (int i = 0; i < 2000; i++) {
            int p = b.length / 4 + r.nextInt(b.length - b.length / 4);
            b[p] ^= (byte) 0xff;
        }
        Path flipped = Files.write(tmp.resolve("flipped.mp4"), b);
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        List<CameraStatus> ev = run(flipped.toString(), pub, Duration.ofSeconds(60));
        assertTrue(pub.frames.size() > 0, "the undamaged beginning is published");
        assertTrue(last(ev).reason().contains("damaged or truncated"), last(ev).toString());
    }

    @Test
    void zeroBytesAndNotAVideoFailWithTheReason() throws Exception {
        Path empty = Files.write(tmp.resolve("empty.mp4"), new byte[0]);
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        for (Path p : List.of(empty, text)) {
            CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
            List<CameraStatus> ev = run(p.toString(), pub, Duration.ofSeconds(30));
            assertEquals(0, pub.frames.size());
            CameraStatus end = last(ev);
            assertEquals(CameraState.FAILED, end.state(), p.toString());
            assertTrue(end.reason().contains("cannot open video source " + p), end.reason());
        }
    }

    /** A server that answers whatever it is sent with bytes that are not RTSP, then closes. */
    @Test
    void anRtspServerThatAnswersGarbageIsRetriedWithTheReasonAndNothingHangs() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(2000);
                        InputStream in = s.getInputStream();
                        in.read(new byte[4096]);
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/9.9 garbage \u0000\u0001\u0002 not rtsp\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (IOException e) {
                        // next client
                    }
                }
            }, "garbage-rtsp");
            t.setDaemon(true);
            t.start();
            GatewayStatusTest.Statuses st = new GatewayStatusTest.Statuses();
            CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
            GatewayOptions opts = GatewayOptions.defaults().withHeartbeat(Duration.ofMillis(300)).withBackoff(Duration.ofMillis(200), Duration.ofMillis(400));
            try (CameraGateway gw = new CameraGateway(pub, st, opts)) {
                gw.start(CameraConfig.builder().id("bad").source("rtsp://127.0.0.1:" + server.getLocalPort() + "/cam").build());
                gw.start(CameraConfig.builder().id("ok").source(SampleMedia.require(SampleMedia.VTEST).toString()).paced(false).maxFrames(30).build());
                Thread.sleep(4000);
                assertTrue(gw.stats("bad").orElseThrow().reconnects() >= 2, "retried: " + gw.stats("bad"));
                assertEquals(30, gw.stats("ok").orElseThrow().published(), "the other camera was served");
            }
            server.close();
            assertEquals(0, pub.frames.stream().filter(f -> f.camera().equals("bad")).count());
            assertTrue(st.events.stream().filter(e -> e.camera().equals("bad") && e.reason() != null).count() >= 2,
                    "heartbeats keep the reason: " + st.events);
            assertTrue(st.events.stream().anyMatch(e -> e.camera().equals("bad") && e.reason() != null && e.reason().contains("cannot open")),
                    st.events.toString());
        }
    }
}
