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

    public static final String CODEC_JPEG = "jpeg";

    private FrameHeaders() {}
}
