package io.vigil.models.detect;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Packed BGR bytes to the network's NCHW float input: resize (bilinear with half-pixel centres, as
 * OpenCV's INTER_LINEAR), letterbox padding, channel order, scale/mean/std. The coordinate tables are cached
 * per frame size, so a stream of same-sized frames allocates nothing here.
 */
public final class Preprocessor {
    private final int inW;
    private final int inH;
    private final ResizeMode mode;
    private final boolean rgb;
    /** Per model channel c: value = pixel·mul[c] + add[c]  (= (pixel·scale − mean)/std). */
    private final float[] mul = new float[3];
    private final float[] add = new float[3];
    private final float padValue;

    private int cachedW = -1;
    private int cachedH = -1;
    private Letterbox lb;
    private int[] x0;   // [resizedWidth] left source column (already ×3 for BGR offset)
    private int[] x1;   // [resizedWidth] right source column ×3
    private float[] fx; // [resizedWidth] weight of the right column
    private int[] y0;   // [resizedHeight] top source row
    private int[] y1;   // [resizedHeight]
    private float[] fy; // [resizedHeight]
    private float[] rowTop;    // [resizedWidth*3] horizontally interpolated source row y0
    private float[] rowBottom; // [resizedWidth*3]
    private final float[] out0; // [inW] one output row of model channel 0
    private final float[] out1; // [inW]
    private final float[] out2; // [inW]
    private final float[] padRow; // [inW]
    /**
     * The padding last written into {@link #paddedDst}, per frame slot of it (the position / one frame's floats): the
     * resized area's padX, padY, width and height packed in a long, or 0. Only this preprocessor writes the detector's
     * input buffer and only inside the resized area, so a slot padded for a geometry stays padded for it.
     */
    private FloatBuffer paddedDst;
    private long[] paddedAt = new long[0]; // [slots]

    public Preprocessor(int inputWidth, int inputHeight, ResizeMode mode, boolean rgb, int pad, float scale,
                        float[] mean, float[] std) {
        this.inW = inputWidth;
        this.inH = inputHeight;
        this.mode = mode;
        this.rgb = rgb;
        for (int c = 0; c < 3; c++) {
            float m = mean == null ? 0f : mean[c];
            float s = std == null ? 1f : std[c];
            mul[c] = scale / s;
            add[c] = -m / s;
        }
        // Padding is a pixel value, so it goes through the same normalisation (per channel).
        this.padValue = pad;
        this.out0 = new float[inputWidth];
        this.out1 = new float[inputWidth];
        this.out2 = new float[inputWidth];
        this.padRow = new float[inputWidth];
    }

    public int inputWidth() { return inW; }

    public int inputHeight() { return inH; }

    /**
     * Writes one frame's input ([3][inH][inW] floats) into {@code dst} at its current position, advancing it.
     *
     * @param bgr [height][width][3] packed BGR
     * @return the letterbox geometry, for mapping boxes back
     */
    public Letterbox apply(byte[] bgr, int width, int height, FloatBuffer dst) {
        if (bgr.length != width * height * 3) {
            throw new IllegalArgumentException("frame has " + bgr.length + " bytes, " + width + "x" + height + " BGR needs " + width * height * 3);
        }
        prepare(width, height);
        int base = dst.position();
        pad(lb, dst, base);
        // a frame published at the letterbox's own size (the gateway's default) needs no resize, only the conversion
        if (lb.resizedWidth() == width && lb.resizedHeight() == height) convertInto(bgr, lb, dst, base);
        else resizeInto(bgr, width, dst, base);
        dst.position(base + 3 * inW * inH);
        return lb;
    }

    /**
     * The same for a frame given as it is or already resized to its letterbox's size ({@link #resizedSize}): then
     * only the padding and the conversion are left, and the geometry is the frame's.
     */
    public Letterbox apply(FrameInput f, FloatBuffer dst) {
        if (!f.isResized()) return apply(f.bgr(), f.width(), f.height(), dst);
        Letterbox g = Letterbox.of(f.frameWidth(), f.frameHeight(), inW, inH, mode);
        if (f.width() != g.resizedWidth() || f.height() != g.resizedHeight()) {
            throw new IllegalArgumentException("a " + f.frameWidth() + "x" + f.frameHeight() + " frame resized for this input is "
                    + g.resizedWidth() + "x" + g.resizedHeight() + ", not " + f.width() + "x" + f.height());
        }
        int base = dst.position();
        pad(g, dst, base);
        convertInto(f.bgr(), g, dst, base);
        dst.position(base + 3 * inW * inH);
        return g;
    }

    /** [2]: the width and height a frame of this size is resized to inside the input. */
    public int[] resizedSize(int frameWidth, int frameHeight) {
        Letterbox g = Letterbox.of(frameWidth, frameHeight, inW, inH, mode);
        return new int[] {g.resizedWidth(), g.resizedHeight()};
    }

    /** Pixels already at the resized size: channel order and normalisation, row by row into the three planes. */
    private void convertInto(byte[] bgr, Letterbox g, FloatBuffer dst, int base) {
        int plane = inW * inH;
        int rw = g.resizedWidth();
        float m0 = mul[0], m1 = mul[1], m2 = mul[2], a0 = add[0], a1 = add[1], a2 = add[2];
        // the channel swap picks the source offsets once, so the inner loop has no branch
        int c0 = rgb ? 2 : 0, c2 = rgb ? 0 : 2;
        for (int oy = 0, k = 0; oy < g.resizedHeight(); oy++) {
            for (int ox = 0; ox < rw; ox++, k += 3) {
                out0[ox] = (bgr[k + c0] & 0xff) * m0 + a0;
                out1[ox] = (bgr[k + 1] & 0xff) * m1 + a1;
                out2[ox] = (bgr[k + c2] & 0xff) * m2 + a2;
            }
            int o = base + (oy + g.padY()) * inW + g.padX();
            dst.put(o, out0, 0, rw);
            dst.put(o + plane, out1, 0, rw);
            dst.put(o + 2 * plane, out2, 0, rw);
        }
    }

    /** The padding around the resized area, in bulk row writes; none when this slot of dst is padded for g already. */
    private void pad(Letterbox g, FloatBuffer dst, int base) {
        int plane = inW * inH;
        int rw = g.resizedWidth();
        int rh = g.resizedHeight();
        if (rw < inW || rh < inH) {
            long key = ((long) g.padX() << 48) | ((long) g.padY() << 32) | ((long) rw << 16) | rh | (1L << 63);
            int slot = base / (3 * plane);
            if (dst != paddedDst || base % (3 * plane) != 0) {
                paddedDst = dst;
                Arrays.fill(paddedAt, 0);
            }
            if (base % (3 * plane) == 0) {
                if (slot >= paddedAt.length) paddedAt = Arrays.copyOf(paddedAt, slot + 1);
                if (paddedAt[slot] == key) return;
                paddedAt[slot] = key;
            }
            for (int c = 0; c < 3; c++) {
                Arrays.fill(padRow, padValue * mul[c] + add[c]);
                for (int y = 0; y < inH; y++) {
                    if (y >= g.padY() && y < g.padY() + rh) {
                        int row = base + c * plane + y * inW;
                        if (g.padX() > 0) dst.put(row, padRow, 0, g.padX());
                        int right = inW - g.padX() - rw;
                        if (right > 0) dst.put(row + g.padX() + rw, padRow, 0, right);
                    } else {
                        dst.put(base + c * plane + y * inW, padRow, 0, inW);
                    }
                }
            }
        }
    }

    /** The bilinear resize of the whole frame into the resized area (the cached tables of {@link #prepare}). */
    private void resizeInto(byte[] bgr, int width, FloatBuffer dst, int base) {
        int plane = inW * inH;
        int rw = lb.resizedWidth();
        int rh = lb.resizedHeight();
        int rowBytes = width * 3;
        int topRow = -1;
        int bottomRow = -1;
        float m0 = mul[0], m1 = mul[1], m2 = mul[2], a0 = add[0], a1 = add[1], a2 = add[2];
        for (int oy = 0; oy < rh; oy++) {
            int ya = y0[oy];
            int yb = y1[oy];
            if (ya != topRow) {
                if (ya == bottomRow) {
                    float[] t = rowTop; rowTop = rowBottom; rowBottom = t;
                    bottomRow = -1;
                } else {
                    hinterp(bgr, ya * rowBytes, rowTop, rw);
                }
                topRow = ya;
            }
            if (yb != bottomRow) {
                hinterp(bgr, yb * rowBytes, rowBottom, rw);
                bottomRow = yb;
            }
            float wy = fy[oy];
            float[] t = rowTop;
            float[] bt = rowBottom;
            for (int ox = 0, k = 0; ox < rw; ox++, k += 3) {
                float b = t[k] + (bt[k] - t[k]) * wy;
                float g = t[k + 1] + (bt[k + 1] - t[k + 1]) * wy;
                float r = t[k + 2] + (bt[k + 2] - t[k + 2]) * wy;
                out0[ox] = (rgb ? r : b) * m0 + a0;
                out1[ox] = g * m1 + a1;
                out2[ox] = (rgb ? b : r) * m2 + a2;
            }
            int o = base + (oy + lb.padY()) * inW + lb.padX();
            dst.put(o, out0, 0, rw);
            dst.put(o + plane, out1, 0, rw);
            dst.put(o + 2 * plane, out2, 0, rw);
        }
    }

    private void hinterp(byte[] bgr, int rowStart, float[] out, int rw) {
        for (int ox = 0; ox < rw; ox++) {
            int a = rowStart + x0[ox];
            int b = rowStart + x1[ox];
            float w = fx[ox];
            int k = ox * 3;
            float a0 = bgr[a] & 0xff, a1 = bgr[a + 1] & 0xff, a2 = bgr[a + 2] & 0xff;
            out[k] = a0 + ((bgr[b] & 0xff) - a0) * w;
            out[k + 1] = a1 + ((bgr[b + 1] & 0xff) - a1) * w;
            out[k + 2] = a2 + ((bgr[b + 2] & 0xff) - a2) * w;
        }
    }

    private void prepare(int width, int height) {
        if (width == cachedW && height == cachedH) return;
        lb = Letterbox.of(width, height, inW, inH, mode);
        int rw = lb.resizedWidth();
        int rh = lb.resizedHeight();
        x0 = new int[rw];
        x1 = new int[rw];
        fx = new float[rw];
        double scaleX = (double) width / rw;
        for (int i = 0; i < rw; i++) {
            double s = (i + 0.5) * scaleX - 0.5;
            int a = (int) Math.floor(s);
            float w = (float) (s - a);
            if (a < 0) { a = 0; w = 0; }
            if (a >= width - 1) { a = width - 1; w = 0; }
            x0[i] = a * 3;
            x1[i] = Math.min(a + 1, width - 1) * 3;
            fx[i] = w;
        }
        y0 = new int[rh];
        y1 = new int[rh];
        fy = new float[rh];
        double scaleY = (double) height / rh;
        for (int i = 0; i < rh; i++) {
            double s = (i + 0.5) * scaleY - 0.5;
            int a = (int) Math.floor(s);
            float w = (float) (s - a);
            if (a < 0) { a = 0; w = 0; }
            if (a >= height - 1) { a = height - 1; w = 0; }
            y0[i] = a;
            y1[i] = Math.min(a + 1, height - 1);
            fy[i] = w;
        }
        rowTop = new float[rw * 3];
        rowBottom = new float[rw * 3];
        cachedW = width;
        cachedH = height;
    }
}
