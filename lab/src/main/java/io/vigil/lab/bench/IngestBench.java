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
 * video's native size) next to the ffmpeg program doing the same (mjpeg -q:v 5) in the same run.
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
        long n = 0;
        try (VideoSource v = VideoSource.open(SourceSpec.parse(src), 5_000_000)) {
            while (v.next()) {
                v.encodeJpeg(quality, 0, 0);
                n++;
            }
        }
        return n;
    }
}
