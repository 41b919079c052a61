package io.vigil.video.kafka;

/**
 * A record on {@code vigil.frames} that does not follow the wire format. Carries what could be read of it
 * so the caller can log or dead-letter it by camera and seq.
 */
public final class FrameFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What was wrong, stable enough to count or route on. */
    public enum Reason { MISSING_KEY, MISSING_HEADER, BAD_HEADER, EMPTY_VALUE, UNKNOWN_CODEC, CHECKSUM }

    private final Reason reason;
    private final String camera;
    private final long seq;

    public FrameFormatException(Reason reason, String camera, long seq, String message) {
        super(message);
        this.reason = reason;
        this.camera = camera;
        this.seq = seq;
    }

    public Reason reason() { return reason; }

    /** The record key, or null when it was missing. */
    public String camera() { return camera; }

    /** The frame number, or -1 when it could not be read. */
    public long seq() { return seq; }
}
