package io.vigil.video.source;

/** A video source that cannot be opened or read; the message names the source (credentials redacted). */
public final class VideoSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VideoSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public VideoSourceException(String message) {
        super(message);
    }
}
