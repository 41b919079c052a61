package io.vigil.video.image;

/** An image that could not be decoded or encoded (corrupt JPEG, unreadable file, unsupported format). */
public final class ImageCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageCodecException(String message) {
        super(message);
    }
}
