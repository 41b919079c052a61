package io.vigil.lab.bench;

import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.Loader;

/**
 * {@code vigil bench ingest}: the gateway's per-frame work on one thread (FFmpeg grab + decode, JPEG encode at the
 * video's native size, then fitted to the default publish size), an MJPEG camera published as captured against decoded
 * and encoded again, and the ffmpeg program doing the first (mjpeg -q:v 5) in the same run.
 */
public final class IngestBench {
    private IngestBench() {}

    /** The report's lines: Vigil's grab + encode on one thread, then the ffmpeg program on 1 and on all threads. */
    public static List<String> run(String src, int repeat) throws Exception {
        List<String> out = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // warm-up pass
        runPass(src, 80);
        long frames = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int r = 0; r < repeat; r++) frames += runPass(src, 80);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        out.add(String.format(Locale.ROOT, "vigil grab+encode (q80, 1 thread): %d frames, %.1f frames/s wall, %.1f frames per CPU-second",
                frames, frames / wall, frames / cpu));
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        long fitted = 0;
        cpu0 = threads.getCurrentThreadCpuTime();
        for (int r = 0; r < repeat; r++) fitted += runPass(src, 80, 416, 416, false);
        out.add(String.format(Locale.ROOT, "vigil grab+fit to 416x416+encode (q80, the gateway's default): %.2f ms CPU a frame",
                (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / fitted));
        // an MJPEG camera that already sends the published size: as captured (packets) against decode + encode
        java.nio.file.Path mjpeg = java.nio.file.Files.createTempFile("vigil-ingest-", ".avi");
        try {
            Process make = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-i", src, "-vf", "scale=416:312",
                    "-c:v", "mjpeg", "-q:v", "5", "-y", mjpeg.toString()).redirectErrorStream(true).start();
            make.getInputStream().readAllBytes();
            if (make.waitFor() != 0) throw new IllegalStateException("ffmpeg could not write the MJPEG clip");
            for (boolean asCaptured : new boolean[] {true, false}) {
                runPass(mjpeg.toString(), 80, 416, 416, !asCaptured);
                long n = 0;
                cpu0 = threads.getCurrentThreadCpuTime();
                for (int r = 0; r < repeat; r++) n += runPass(mjpeg.toString(), 80, 416, 416, !asCaptured);
                out.add(String.format(Locale.ROOT, "MJPEG camera at 416x312, %s: %.2f ms CPU a frame", asCaptured
                        ? "published as captured (packet copy)" : "decoded and encoded again (q80)", (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / n));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(mjpeg);
        }
        for (String t : new String[] {"1", "0"}) {
            long f0 = System.nanoTime();
            for (int r = 0; r < repeat; r++) {
                Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-threads", t, "-i", src, "-threads", t,
                        "-f", "mjpeg", "-q:v", "5", "-y", "/dev/null").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) throw new IllegalStateException("ffmpeg failed");
            }
            double fw = (System.nanoTime() - f0) / 1e9;
            out.add(String.format(Locale.ROOT, "ffmpeg -f mjpeg -q:v 5 (-threads %s%s): %.1f frames/s wall", t, t.equals("0") ? " = auto" : "",
                    frames / fw));
        }
        return out;
    }

    private static long runPass(String src, int quality) {
        return runPass(src, quality, 0, 0, true);
    }

    /** @param decode open as {@link VideoSource#open} does (FFmpeg decodes every picture); else as the gateway opens it */
    private static long runPass(String src, int quality, int maxWidth, int maxHeight, boolean decode) {
        long n = 0;
        SourceSpec spec = SourceSpec.parse(src);
        try (VideoSource v = decode ? VideoSource.open(spec, 5_000_000) : VideoSource.openForJpeg(spec, 5_000_000, maxWidth, maxHeight)) {
            while (v.next()) {
                v.encodeJpeg(quality, maxWidth, maxHeight);
                n++;
            }
        }
        return n;
    }
}
