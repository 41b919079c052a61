package io.vigil.video.motion;

/**
 * Motion on a small greyscale frame (a JPEG decoded at 1/8 size, about 96 x 72): a running-average background, the
 * pixels that differ from it by more than {@code threshold} grey levels, minus a mask of areas to ignore (a tree, a
 * clock), grouped into 4-connected regions; a frame has motion when a region covers at least {@code minArea} of the
 * frame. The first {@code warmupFrames} frames only build the background and count as motion, so a camera whose state
 * was lost re-learns its background within that many frames and runs the detector meanwhile.
 *
 * <p>Not thread-safe. One instance serves many cameras, each with its own {@link State}; no allocation per frame once
 * the size is known.
 */
public final class MotionDetector {
    /**
     * @param threshold      grey levels (0-255) a pixel must differ from the background to be moving
     * @param minArea        fraction of the frame a connected region must cover to count as motion
     * @param learningRate   how fast the background follows the scene (0..1 per frame); moving pixels learn 4x slower
     * @param warmupFrames   frames that only build the background (reported as motion)
     */
    public record Settings(int threshold, double minArea, double learningRate, int warmupFrames) {
        public Settings {
            if (threshold < 1 || threshold > 254) throw new IllegalArgumentException("motion threshold: 1..254 grey levels, got " + threshold);
            if (!(minArea > 0 && minArea < 1)) throw new IllegalArgumentException("motion minArea: a fraction of the frame in (0, 1), got " + minArea);
            if (!(learningRate > 0 && learningRate <= 1)) throw new IllegalArgumentException("motion learningRate: (0, 1], got " + learningRate);
            if (warmupFrames < 1) throw new IllegalArgumentException("motion warmupFrames: at least 1, got " + warmupFrames);
        }

        public static Settings defaults() {
            return new Settings(20, 0.001, 0.05, 5);
        }
    }

    /** One frame's verdict: whether it has motion, the moving share of the frame, and the number of regions over minArea. */
    public record Result(boolean motion, double movingFraction, int regions, boolean warmingUp) {}

    /** One camera's background between frames (a plain POJO so a Flink job can keep it as keyed state). */
    public static final class State {
        /** [height*width] grey levels. */
        public float[] background;
        public int width;
        public int height;
        /** Frames seen since the background (re)started. */
        public int frames;

        public State() {}
    }

    private final Settings settings;
    private byte[] moving = new byte[0];       // [h*w] scratch: 1 = differs from the background, 2 = counted
    private final MotionRegions regions = new MotionRegions();

    public MotionDetector(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Folds one greyscale frame into the camera's background and says whether it moves. One detector serves any number
     * of cameras, each with its own {@link State}.
     *
     * @param grey   [h*w] grey levels, row-major
     * @param ignore [h*w] true where motion does not count, or null
     */
    public Result update(State st, byte[] grey, int w, int h, boolean[] ignore) {
        if (grey.length < w * h) throw new IllegalArgumentException("grey frame has " + grey.length + " bytes for " + w + "x" + h);
        int n = w * h;
        if (st.background == null || st.width != w || st.height != h) {
            st.background = new float[n];
            st.width = w;
            st.height = h;
            st.frames = 0;
        }
        if (moving.length < n) moving = new byte[n];
        float[] background = st.background;
        if (st.frames == 0) {
            for (int i = 0; i < n; i++) background[i] = grey[i] & 0xff;
            st.frames = 1;
            return new Result(true, 0, 0, true);
        }
        float rate = (float) settings.learningRate();
        int threshold = settings.threshold();
        int movingPixels = 0;
        for (int i = 0; i < n; i++) {
            float g = grey[i] & 0xff;
            float d = g - background[i];
            boolean m = (d > threshold || d < -threshold) && (ignore == null || !ignore[i]);
            moving[i] = (byte) (m ? 1 : 0);
            if (m) movingPixels++;
            // what moves is learnt slowly, so a person standing still fades into the background only after a while
            background[i] += (m ? rate * 0.25f : rate) * d;
        }
        st.frames++;
        boolean warming = st.frames <= settings.warmupFrames();
        int minPixels = Math.max(1, (int) Math.ceil(settings.minArea() * n));
        int found = movingPixels >= minPixels ? regions.count(moving, w, h, minPixels) : 0;
        return new Result(warming || found > 0, (double) movingPixels / n, found, warming);
    }
}
