package io.vigil.video.image;

/**
 * A decoded picture as interleaved 8-bit BGR, row-major, no padding: the layout OpenCV and FFmpeg give and
 * the detectors want. Plain Java memory so it can cross module and thread boundaries freely.
 *
 * @param width  pixels per row
 * @param height rows
 * @param pixels [height][width][3] flattened, B G R per pixel
 */
public record BgrImage(int width, int height, byte[] pixels) {
    public BgrImage {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("bad size " + width + "x" + height);
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, " + width + "x" + height
                    + " BGR needs " + (width * height * 3));
        }
    }

    @Override
    public String toString() {
        return "BgrImage[" + width + "x" + height + "]";
    }
}
