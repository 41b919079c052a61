package io.vigil.flink.detect;

import io.vigil.flink.config.JobConfig;
import io.vigil.flink.gate.GateState;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.motion.MotionDetector;
import io.vigil.video.motion.MotionMask;
import io.vigil.video.motion.Mog2Motion;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a camera's frame shows motion, from its JPEG decoded at 1/8 in grey (never at full size): the running
 * average kept in the camera's {@link GateState} (checkpointed), or OpenCV's MOG2 (the default), one native model per
 * camera of this subtask, not checkpointed: after a restore it is learnt again, its first warm-up frames counting as
 * motion. The camera's motion mask is rasterized once per (mask, size).
 */
final class MotionSensor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MotionSensor.class);
    static final int MAX_MOG2_CAMERAS = 4096;

    private final JobConfig.Gate settings;
    private final MotionDetector average;
    private final LinkedHashMap<String, Mog2Motion> mog2; // camera -> its model, least recently seen first; null: running average
    private final Map<String, boolean[]> masks = new HashMap<>(); // camera + "|" + mask + "|" + w + "x" + h -> [h*w]
    private byte[] grey;                                          // [h/8 * w/8], reused

    MotionSensor(JobConfig.Gate settings) {
        this.settings = settings;
        this.average = new MotionDetector(new MotionDetector.Settings(settings.motionThreshold(), settings.motionMinArea(),
                MotionDetector.Settings.defaults().learningRate(), MotionDetector.Settings.defaults().warmupFrames()));
        this.mog2 = "mog2".equals(settings.motionModel()) ? new LinkedHashMap<>(16, 0.75f, true) : null;
    }

    /** True when the frame moves; the running average's background is updated in {@code s}. */
    boolean moving(String camera, String motionMask, byte[] jpegBytes, JpegCodec jpeg, GateState s) throws ImageCodecException {
        JpegCodec.GreyImage small = jpeg.decodeGreyEighth(jpegBytes, grey);
        grey = small.pixels();
        boolean[] ignore = mask(camera, motionMask, small.width(), small.height());
        if (mog2 != null) return mog2(camera).update(grey, small.width(), small.height(), ignore).motion();
        if (s.motion == null) s.motion = new MotionDetector.State();
        return average.update(s.motion, grey, small.width(), small.height(), ignore).motion();
    }

    /** The camera's MOG2 model, made on its first frame; the least recently seen camera's is freed beyond the cap. */
    private Mog2Motion mog2(String camera) {
        Mog2Motion m = mog2.get(camera);
        if (m == null) {
            if (mog2.size() >= MAX_MOG2_CAMERAS) {
                var eldest = mog2.entrySet().iterator().next();
                eldest.getValue().close();
                mog2.remove(eldest.getKey());
            }
            m = new Mog2Motion(settings.motionMinArea(), MotionDetector.Settings.defaults().warmupFrames());
            mog2.put(camera, m);
        }
        return m;
    }

    /** The camera's motion mask at the grey size; a malformed mask is said once and ignored. */
    private boolean[] mask(String camera, String motionMask, int w, int h) {
        if (motionMask == null || motionMask.isBlank()) return null;
        String key = camera + "|" + motionMask + "|" + w + "x" + h;
        if (masks.containsKey(key)) return masks.get(key);
        boolean[] m = null;
        try {
            m = MotionMask.rasterize(MotionMask.parse(motionMask), w, h);
        } catch (IllegalArgumentException e) {
            LOG.warn("camera {}: motion mask ignored: {}", camera, e.getMessage());
        }
        if (masks.size() > 10_000) masks.clear();
        masks.put(key, m);
        return m;
    }

    @Override
    public void close() {
        if (mog2 != null) mog2.values().forEach(Mog2Motion::close);
    }
}
