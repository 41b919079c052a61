package io.vigil.models.detect;

/**
 * One frame for a detector: packed BGR bytes, [height][width][3], not copied. The bytes are the frame itself
 * ({@link #of}), or the frame already resized to the size its letterbox needs ({@link #resized}, what
 * {@link Detector#resizedSize} says), so the detector only pads and converts: boxes still come back in the pixels of
 * the frame, {@code frameWidth} x {@code frameHeight}.
 */
public record FrameInput(byte[] bgr, int width, int height, int frameWidth, int frameHeight) {
    public FrameInput {
        if (width <= 0 || height <= 0 || bgr.length != width * height * 3) {
            throw new IllegalArgumentException("frame of " + bgr.length + " bytes is not " + width + "x" + height + " BGR");
        }
        if (frameWidth <= 0 || frameHeight <= 0) throw new IllegalArgumentException("frame size " + frameWidth + "x" + frameHeight);
    }

    /** The frame as it is. */
    public FrameInput(byte[] bgr, int width, int height) {
        this(bgr, width, height, width, height);
    }

    /** The frame as it is. */
    public static FrameInput of(byte[] bgr, int width, int height) {
        return new FrameInput(bgr, width, height);
    }

    /** A frame of {@code frameWidth} x {@code frameHeight} already resized to {@code width} x {@code height}. */
    public static FrameInput resized(byte[] bgr, int width, int height, int frameWidth, int frameHeight) {
        return new FrameInput(bgr, width, height, frameWidth, frameHeight);
    }

    /** True when the pixels are the frame resized for the input, not the frame itself. */
    public boolean isResized() {
        return width != frameWidth || height != frameHeight;
    }
}
