package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway applies its source policy to every spec: a refused source is a failed status naming the rule and nothing
 * is opened; and an HLS playlist that passes (http on loopback) cannot make FFmpeg read a local file as its segment.
 */
class SourcePolicyGatewayTest {
    @Test
    void refusedSpecsAreFailedWithTheRuleAndNeverGrabbed() throws Exception {
        GatewayStatusTest.Statuses st = new GatewayStatusTest.Statuses();
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        Path vtest = SampleMedia.require(SampleMedia.VTEST);
        try (CameraGateway gw = new CameraGateway(pub, st, GatewayOptions.defaults())) {
            gw.apply(CameraSpec.of("passwd", "file:///etc/passwd"));
            gw.apply(CameraSpec.of("dots", vtest.getParent() + "/../../../../etc/passwd"));
            gw.apply(CameraSpec.of("concat", "concat:" + vtest + "|/etc/passwd"));
            gw.apply(CameraSpec.of("listen", "tcp://127.0.0.1:9?listen"));
            gw.apply(CameraSpec.of("vtest", vtest.toString())); // a real video, but files are not allowed by default
            Thread.sleep(500);
            // nothing started: every camera is listed as failed with the rule that refused it, nothing grabbed
            assertEquals(5, gw.stats().size(), gw.stats().toString());
            for (CameraStats cs : gw.stats()) {
                assertEquals("failed", cs.state(), cs.toString());
                assertEquals(0, cs.grabbed(), cs.toString());
                assertTrue(cs.lastError().contains("source policy"), cs.toString());
            }
            gw.remove("passwd");
            assertTrue(gw.stats().stream().noneMatch(cs -> cs.camera().equals("passwd")), "an unsubscribed refused camera is gone");
        }
        assertEquals(0, pub.frames.size(), "nothing was grabbed");
        for (String cam : List.of("passwd", "dots", "concat", "listen", "vtest")) {
            CameraStatus s = st.events.stream().filter(e -> e.camera().equals(cam)).findFirst().orElseThrow();
            assertEquals(CameraState.FAILED, s.state(), cam);
            assertTrue(s.reason().contains("source policy"), cam + ": " + s.reason());
        }
    }

    /**
     * The playlist's one segment is a local MPEG-TS file in an allowed media directory (a format and an extension FFmpeg's
     * HLS demuxer accepts). The gateway's protocol whitelist for http keeps FFmpeg from opening {@code file:} under the
     * playlist (FFmpeg 7.1's HLS demuxer refuses this playlist by itself too, so this holds with either guard).
     */
    @Test
    void anHlsPlaylistCannotReachALocalFile(@TempDir Path tmp) throws Exception {
        Path segment = tmp.resolve("secret.ts");
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-i", SampleMedia.require(SampleMedia.VTEST).toString(),
                "-frames:v", "50", "-c:v", "mpeg2video", "-f", "mpegts", "-y", segment.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ffmpeg made the segment: " + out);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        byte[] playlist = ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:80\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:79.5,\n"
                + segment.toUri() + "\n#EXT-X-ENDLIST\n").getBytes(StandardCharsets.UTF_8);
        http.createContext("/live.m3u8", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/vnd.apple.mpegurl");
            ex.sendResponseHeaders(200, playlist.length);
            ex.getResponseBody().write(playlist);
            ex.close();
        });
        http.start();
        GatewayStatusTest.Statuses st = new GatewayStatusTest.Statuses();
        CameraGatewayTest.ListPublisher pub = new CameraGatewayTest.ListPublisher();
        // the media directory is allowed too: the file is readable as a camera, just not through a playlist
        GatewayOptions opts = GatewayOptions.defaults().withBackoff(Duration.ofMillis(200), Duration.ofMillis(500)).withHeartbeat(Duration.ofMillis(500))
                .withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(segment.getParent())));
        try (CameraGateway gw = new CameraGateway(pub, st, opts)) {
            gw.apply(CameraSpec.of("hls", "http://127.0.0.1:" + http.getAddress().getPort() + "/live.m3u8"));
            long deadline = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < deadline && st.events.stream().noneMatch(e -> e.camera().equals("hls") && e.reason() != null)) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
        } finally {
            http.stop(0);
        }
        assertEquals(0, pub.frames.size(), "no frame of the local file left through the playlist");
        assertTrue(st.events.stream().anyMatch(e -> e.camera().equals("hls") && e.reason() != null), "the camera reports why: " + st.events);
    }
}
