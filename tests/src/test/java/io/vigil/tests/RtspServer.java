package io.vigil.tests;

import io.vigil.video.source.SampleMedia;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * A real RTSP server process on loopback (GStreamer's, driven by rtsp/rtsp_server.py under Debian's python3)
 * streaming vtest.avi converted to H.264 with JavaCV's own ffmpeg program. {@link #kill()} is SIGKILL.
 */
final class RtspServer implements AutoCloseable {
    private final int port;
    private final Path mp4;
    private final Path script;
    private Process process;

    RtspServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        mp4 = h264Copy();
        script = Files.createTempFile("rtsp_server", ".py");
        try (var in = RtspServer.class.getResourceAsStream("/rtsp/rtsp_server.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** vtest.avi as H.264 mp4, converted once per media cache (keyframe every 10 frames, no B-frames). */
    static synchronized Path h264Copy() throws Exception {
        Path out = SampleMedia.cacheDir().resolve("vtest-h264.mp4");
        if (Files.isRegularFile(out)) return out;
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Path tmp = out.resolveSibling("vtest-h264.part.mp4");
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i",
                SampleMedia.require(SampleMedia.VTEST).toString(), "-an", "-c:v", "libopenh264", "-b:v", "2M", "-g", "10", "-bf", "0",
                "-pix_fmt", "yuv420p", tmp.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("ffmpeg conversion failed: " + log);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    String url(String userInfo) {
        return "rtsp://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port + "/cam";
    }

    void start() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/python3"))) throw new IllegalStateException("/usr/bin/python3 is missing (.ci/run installs it)");
        process = new ProcessBuilder("/usr/bin/python3", script.toString(), Integer.toString(port), mp4.toString())
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + 20_000;
        StringBuilder seen = new StringBuilder();
        while (System.currentTimeMillis() < deadline) {
            String line = r.readLine();
            if (line == null) break;
            seen.append(line).append('\n');
            if (line.startsWith("READY")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (r.readLine() != null) { /* keep the pipe from filling */ }
                    } catch (IOException ignored) {
                        // process gone
                    }
                }, "rtsp-server-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the RTSP test server did not start (needs python3-gi, gir1.2-gst-rtsp-server-1.0 and the "
                + "GStreamer plugins; .ci/run installs them): " + seen);
    }

    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws Exception {
        kill();
        Files.deleteIfExists(script);
    }
}
