package io.vigil.spatiotemporal.ssm;

/**
 * y[t] = W · x[t] for every token: the projections of the Mamba block. W is [out][in] (PyTorch Linear layout),
 * x is [L][in] at {@code xOff} with row stride {@code xStride}, y is [L][out] with row stride {@code yStride}.
 * Uses the Vector API when it is enabled, a plain loop otherwise.
 */
public final class MatVec {
    static final boolean VECTOR = SelectiveScanKernels.vectorAvailable();

    private MatVec() {}

    /**
     * The same product from the TRANSPOSED weights wT [in][out]: no horizontal sums, and each block of 16 outputs
     * keeps its weight column (in x 16 floats) in L1 across all tokens. The block's hot path.
     */
    public static void applyT(float[] wT, int out, int in, float[] x, int xOff, int xStride, int len,
                              float[] y, int yOff, int yStride) {
        int done = 0;
        if (VECTOR && out >= 16) done = VectorMatVec.applyT(wT, out, in, x, xOff, xStride, len, y, yOff, yStride);
        for (int t = 0; t < len; t++) {
            int xr = xOff + t * xStride;
            int yr = yOff + t * yStride;
            for (int o = done; o < out; o++) {
                float s = 0f;
                for (int i = 0; i < in; i++) s += wT[i * out + o] * x[xr + i];
                y[yr + o] = s;
            }
        }
    }

    /** [rows][cols] -> [cols][rows]. */
    public static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    public static void apply(float[] w, int out, int in, float[] x, int xOff, int xStride, int len,
                             float[] y, int yOff, int yStride) {
        if (VECTOR && in >= 16) {
            VectorMatVec.apply(w, out, in, x, xOff, xStride, len, y, yOff, yStride);
            return;
        }
        for (int t = 0; t < len; t++) {
            int xr = xOff + t * xStride;
            int yr = yOff + t * yStride;
            for (int o = 0; o < out; o++) {
                float s = 0f;
                int wr = o * in;
                for (int i = 0; i < in; i++) s += w[wr + i] * x[xr + i];
                y[yr + o] = s;
            }
        }
    }
}
