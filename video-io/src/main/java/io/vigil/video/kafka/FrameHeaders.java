package io.vigil.video.kafka;

/** Header names of a record on {@code vigil.frames}; values are UTF-8 decimal strings. */
public final class FrameHeaders {
    /** 0-based frame number of this camera; never repeats for a camera. */
    public static final String SEQ = "vigil-seq";
    /** Capture time, epoch microseconds. */
    public static final String TS = "vigil-ts";
    public static final String WIDTH = "vigil-width";
    public static final String HEIGHT = "vigil-height";
    public static final String CODEC = "vigil-codec";
    /**
     * Optional: CRC-32C of the value, 8 lowercase hex digits. The gateway always writes it; a reader checks it when it is
     * there, so a payload damaged after capture is refused rather than decoded into a wrong picture.
     */
    public static final String CRC32C = "vigil-crc32c";

    /** Optional: run the detector on every N-th frame of this camera (its spec's detect.every), overriding the job's. */
    public static final String DETECT_EVERY = "vigil-detect-every";
    /** Optional: the camera's weight in the detector's fair share under overload (its spec's detect.weight; default 1). */
    public static final String DETECT_WEIGHT = "vigil-detect-weight";
    /**
     * Optional: areas whose motion does not count (its spec's detect.motionMask): polygons separated by {@code ;}, each
     * {@code x,y x,y x,y ...} in 0..1 of the frame.
     */
    public static final String MOTION_MASK = "vigil-motion-mask";

    public static final String CODEC_JPEG = "jpeg";

    private FrameHeaders() {}
}
