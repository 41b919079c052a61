package io.vigil.video.motion;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * Motion on one camera's small greyscale frames with OpenCV's MOG2 (a mixture of Gaussians per pixel, Zivkovic 2004),
 * through JavaCV: unlike a running average it learns backgrounds that alternate (leaves against sky, water), so a tree
 * in the wind stops counting as motion. Foreground pixels (shadows off) minus the ignore mask are grouped into
 * 4-connected regions, and a frame has motion when one covers at least {@code minArea} of the frame, as with
 * {@link MotionDetector}.
 *
 * <p>The model is native memory (about 0.3 MB per camera at 96 x 72), not checkpointed: after a restart it is learnt
 * again, and its first {@code warmupFrames} frames count as motion so the detector runs meanwhile. One instance per
 * camera; not thread-safe; {@link #close()} frees it.
 */
public final class Mog2Motion implements AutoCloseable {
    static {
        io.vigil.video.image.NativeInit.pointer(); // before OpenCV's libraries load: see NativeInit
    }

    /** OpenCV's default: frames the mixture remembers. */
    static final int HISTORY = 500;
    /** OpenCV's default: squared Mahalanobis distance under which a pixel matches its background. */
    static final double VAR_THRESHOLD = 16;

    private final double minArea;
    private final int warmupFrames;
    private final BackgroundSubtractorMOG2 model = createBackgroundSubtractorMOG2(HISTORY, VAR_THRESHOLD, false);
    private final MotionRegions regions = new MotionRegions();
    private final Mat frame = new Mat();
    private final Mat foreground = new Mat();
    private byte[] moving = new byte[0]; // [h*w] 1 = foreground, 2 = counted
    private int width;
    private int height;
    private long frames;

    /**
     * @param minArea      fraction of the frame a connected region must cover to count as motion
     * @param warmupFrames frames after a (re)start that count as motion while the model learns
     */
    public Mog2Motion(double minArea, int warmupFrames) {
        if (!(minArea > 0 && minArea < 1)) throw new IllegalArgumentException("motion minArea: a fraction of the frame in (0, 1), got " + minArea);
        if (warmupFrames < 1) throw new IllegalArgumentException("motion warmupFrames: at least 1, got " + warmupFrames);
        this.minArea = minArea;
        this.warmupFrames = warmupFrames;
    }

    /** Frames seen since the model (re)started. */
    public long frames() {
        return frames;
    }

    /**
     * Folds one frame into the model and says whether it moves.
     *
     * @param grey   [h*w] grey levels, row-major
     * @param ignore [h*w] true where motion does not count, or null
     */
    public MotionDetector.Result update(byte[] grey, int w, int h, boolean[] ignore) {
        if (grey.length < w * h) throw new IllegalArgumentException("grey frame has " + grey.length + " bytes for " + w + "x" + h);
        int n = w * h;
        if (w != width || h != height) {
            // a new size: the model's pixels no longer mean the same places
            frame.create(h, w, CV_8UC1);
            model.clear();
            moving = new byte[n];
            width = w;
            height = h;
            frames = 0;
        }
        BytePointer in = frame.data();
        in.position(0).put(grey, 0, n);
        model.apply(frame, foreground);
        BytePointer fg = foreground.data();
        fg.position(0).get(moving, 0, n);
        int movingPixels = 0;
        for (int i = 0; i < n; i++) {
            boolean m = moving[i] != 0 && (ignore == null || !ignore[i]);
            moving[i] = (byte) (m ? 1 : 0);
            if (m) movingPixels++;
        }
        frames++;
        boolean warming = frames <= warmupFrames;
        int minPixels = Math.max(1, (int) Math.ceil(minArea * n));
        int found = movingPixels >= minPixels ? regions.count(moving, w, h, minPixels) : 0;
        return new MotionDetector.Result(warming || found > 0, (double) movingPixels / n, found, warming);
    }

    @Override
    public void close() {
        model.close();
        frame.close();
        foreground.close();
    }
}
