package io.vigil.models.detect;

/**
 * Where a frame lands inside the network input, and the way back: a frame pixel (x, y) maps to input pixel
 * (x·sx + padX, y·sy + padY). For letterboxing sx = sy = r = min(inW/W, inH/H) and the resized frame is
 * (int)(W·r) x (int)(H·r), as the reference preprocessing truncates.
 *
 * @param resizedWidth  width of the scaled frame inside the input
 * @param resizedHeight height of the scaled frame inside the input
 */
public record Letterbox(int frameWidth, int frameHeight, int inputWidth, int inputHeight,
                        float sx, float sy, int padX, int padY, int resizedWidth, int resizedHeight) {

    public static Letterbox of(int frameWidth, int frameHeight, int inputWidth, int inputHeight, ResizeMode mode) {
        if (frameWidth <= 0 || frameHeight <= 0) throw new IllegalArgumentException("bad frame size " + frameWidth + "x" + frameHeight);
        if (mode == ResizeMode.STRETCH) {
            return new Letterbox(frameWidth, frameHeight, inputWidth, inputHeight,
                    (float) inputWidth / frameWidth, (float) inputHeight / frameHeight, 0, 0, inputWidth, inputHeight);
        }
        double r = Math.min((double) inputWidth / frameWidth, (double) inputHeight / frameHeight);
        int rw = Math.max(1, Math.min(inputWidth, (int) (frameWidth * r)));
        int rh = Math.max(1, Math.min(inputHeight, (int) (frameHeight * r)));
        int px = 0;
        int py = 0;
        if (mode == ResizeMode.LETTERBOX_CENTER) {
            px = (inputWidth - rw) / 2;
            py = (inputHeight - rh) / 2;
        }
        return new Letterbox(frameWidth, frameHeight, inputWidth, inputHeight, (float) r, (float) r, px, py, rw, rh);
    }

    /** Input-space x back to frame pixels, clipped to the frame. */
    public float frameX(float inputX) {
        return clamp((inputX - padX) / sx, frameWidth);
    }

    public float frameY(float inputY) {
        return clamp((inputY - padY) / sy, frameHeight);
    }

    private static float clamp(float v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
