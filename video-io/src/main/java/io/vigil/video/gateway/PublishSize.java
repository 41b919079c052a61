package io.vigil.video.gateway;

/**
 * The box a camera's frames are downscaled to fit before the gateway encodes them (aspect kept, never upscaled).
 * The job decodes every published JPEG, so pixels beyond what its detector's input uses are paid for three times
 * (encode, Kafka, decode) and thrown away by the letterbox. Evidence at the camera's full size belongs to recordings.
 *
 * @param maxWidth  0 = no limit
 * @param maxHeight 0 = no limit
 */
public record PublishSize(int maxWidth, int maxHeight) {
    /** The default detector's input (YOLOX-Nano, 416x416): a 768x576 camera is published at 416x312, 1080p at 416x234. */
    public static final PublishSize DEFAULT = new PublishSize(416, 416);
    /** The camera's own size. */
    public static final PublishSize FULL = new PublishSize(0, 0);

    public PublishSize {
        if (maxWidth != 0 && maxWidth < 16 || maxHeight != 0 && maxHeight < 16) {
            throw new IllegalArgumentException("publish size " + maxWidth + "x" + maxHeight + ": each side must be >= 16, or 0 for no limit");
        }
    }

    /** {@code WxH} (e.g. {@code 640x640}) or {@code full}. */
    public static PublishSize parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("full")) return FULL;
        String[] wh = t.split("x");
        if (wh.length == 2) {
            try {
                return new PublishSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("publish size '" + text + "' must be WIDTHxHEIGHT (e.g. 416x416) or 'full'");
    }

    public boolean isFull() {
        return maxWidth == 0 && maxHeight == 0;
    }

    @Override
    public String toString() {
        return isFull() ? "full" : maxWidth + "x" + maxHeight;
    }
}
