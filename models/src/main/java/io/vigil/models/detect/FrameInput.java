package io.vigil.models.detect;

/**
 * One frame for a detector: packed BGR bytes, [height][width][3]. Not copied.
 */
public record FrameInput(byte[] bgr, int width, int height) {
    public FrameInput {
        if (width <= 0 || height <= 0 || bgr.length != width * height * 3) {
            throw new IllegalArgumentException("frame of " + bgr.length + " bytes is not " + width + "x" + height + " BGR");
        }
    }
}
