package io.vigil.flink.event;

/**
 * A frame as it travels through the job (a Flink POJO): the decoded wire record, where it came from in Kafka,
 * and, for records that broke the wire format, the reason instead of a payload.
 */
public class FrameEnvelope {
    public String camera;
    public long seq = -1;
    public long tsMicros;
    public int width;
    public int height;
    public String codec;
    /** The encoded image; null when {@link #error} is set. */
    public byte[] payload;
    public String topic;
    public int partition;
    public long offset;
    /** The camera's own detection interval (header vigil-detect-every), 0 = the job's. */
    public int detectEvery;
    /** The camera's weight in the detector's fair share (header vigil-detect-weight), 0 = 1. */
    public float detectWeight;
    /** Areas whose motion does not count (header vigil-motion-mask), or null. */
    public String motionMask;
    /** Why the record could not be read as a frame; null for good frames. */
    public String error;

    public FrameEnvelope() {}

    public boolean isBad() {
        return error != null;
    }

    /** {@code cam-1#42} for log lines. */
    public String where() {
        return (camera == null ? "<no camera>" : camera) + "#" + (seq < 0 ? "?" : Long.toString(seq))
                + " (" + topic + "/" + partition + "@" + offset + ")";
    }
}
