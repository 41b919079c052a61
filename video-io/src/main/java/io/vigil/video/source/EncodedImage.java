package io.vigil.video.source;

/**
 * An encoded picture with its pixel size.
 *
 * @param asCaptured the camera's own JPEG, neither decoded nor encoded on the way ({@link VideoSource#openForJpeg})
 */
public record EncodedImage(byte[] bytes, int width, int height, boolean asCaptured) {
    public EncodedImage(byte[] bytes, int width, int height) {
        this(bytes, width, height, false);
    }
}
