package io.vigil.lab.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.CC_STAT_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import io.vigil.video.image.JpegCodec;
import io.vigil.video.motion.MotionDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * {@code vigil bench capacity --motion-compare}: the two motion detectors the issue names, on the same 1/8-size grey
 * frames: Vigil's running-average background ({@link MotionDetector}) and OpenCV's MOG2 through JavaCV (a Gaussian
 * mixture per pixel, shadows off), both turned into motion regions the same way (pixels over the threshold, connected
 * regions covering at least {@code minArea} of the frame). For each: the time per frame and, through the job's gate
 * and tracker ({@link GateAccuracy}), the share of frames detected and the recall / precision against every-frame
 * detection.
 */
public final class MotionCompare {
    private MotionCompare() {}

    public record Row(String clip, String detector, double microsPerFrame, double movingShare, GateAccuracy.Row gated) {}

    public static List<Row> run(java.nio.file.Path model, String clip, List<byte[]> jpegs, String mode) {
        List<byte[]> grey = new ArrayList<>();
        int w = 0, h = 0;
        try (JpegCodec jpeg = new JpegCodec()) {
            for (byte[] j : jpegs) {
                JpegCodec.GreyImage g = jpeg.decodeGreyEighth(j, null);
                grey.add(g.pixels());
                w = g.width();
                h = g.height();
            }
        }
        MotionDetector.Settings ms = MotionDetector.Settings.defaults();
        boolean[] average = new boolean[grey.size()];
        boolean[] mog = new boolean[grey.size()];
        final int fw = w, fh = h;
        double avgMicros = time(() -> runAverage(ms, grey, fw, fh, average));
        double mogMicros = time(() -> runMog2(ms, grey, fw, fh, mog));
        GateAccuracy.Mode m = GateAccuracy.Mode.parse(mode);
        List<Row> out = new ArrayList<>();
        List<GateAccuracy.Row> rows = GateAccuracy.runWithMotion(model, clip, jpegs, m, List.of(average, mog));
        out.add(new Row(clip, "running average", avgMicros / grey.size(), share(average), rows.get(0)));
        out.add(new Row(clip, "MOG2 (OpenCV)", mogMicros / grey.size(), share(mog), rows.get(1)));
        return out;
    }

    private static void runAverage(MotionDetector.Settings ms, List<byte[]> grey, int w, int h, boolean[] out) {
        MotionDetector d = new MotionDetector(ms);
        MotionDetector.State st = new MotionDetector.State();
        for (int i = 0; i < grey.size(); i++) out[i] = d.update(st, grey.get(i), w, h, null).motion();
    }

    /** MOG2 with OpenCV's defaults (history 500, varThreshold 16), shadows off, then the same region rule. */
    private static void runMog2(MotionDetector.Settings ms, List<byte[]> grey, int w, int h, boolean[] out) {
        double minPixels = ms.minArea() * w * h;
        try (BackgroundSubtractorMOG2 mog = createBackgroundSubtractorMOG2(500, 16, false);
             Mat frame = new Mat(h, w, CV_8UC1); Mat fg = new Mat(); Mat bin = new Mat(); Mat labels = new Mat(); Mat stats = new Mat();
             Mat centroids = new Mat()) {
            BytePointer data = frame.data();
            for (int i = 0; i < grey.size(); i++) {
                data.position(0).put(grey.get(i), 0, w * h);
                mog.apply(frame, fg);
                threshold(fg, bin, 127, 255, THRESH_BINARY);
                int n = connectedComponentsWithStats(bin, labels, stats, centroids, 4, org.bytedeco.opencv.global.opencv_core.CV_32S);
                boolean motion = i < ms.warmupFrames();
                try (IntIndexer s = stats.createIndexer()) {
                    for (int k = 1; k < n && !motion; k++) motion = s.get(k, CC_STAT_AREA) >= minPixels;
                }
                out[i] = motion;
            }
        }
    }

    /** Microseconds for one pass, the best of 3 (after one warm-up pass). */
    private static double time(Runnable r) {
        r.run();
        long best = Long.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e3;
    }

    private static double share(boolean[] b) {
        int n = 0;
        for (boolean x : b) if (x) n++;
        return (double) n / b.length;
    }

    public static void print(List<Row> rows) {
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-6s %-16s %8.1f us/frame  moving %5.1f%%  %s: detector %3.0f%%  recall %.3f  precision %.3f%n", r.clip(),
                    r.detector(), r.microsPerFrame(), 100 * r.movingShare(), r.gated().mode(), 100 * r.gated().detectorShare(), r.gated().recall(),
                    r.gated().precision());
        }
    }
}
