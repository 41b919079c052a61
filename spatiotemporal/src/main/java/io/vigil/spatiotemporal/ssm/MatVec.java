package io.vigil.spatiotemporal.ssm;

/**
 * y[t] = W · x[t] for every token: the projections of the Mamba block. W is [out][in] (PyTorch Linear layout),
 * x is [L][in] at {@code xOff} with row stride {@code xStride}, y is [L][out] with row stride {@code yStride}.
 * Uses the Vector API when it is enabled, a plain loop otherwise.
 */
public final class MatVec {
    static final boolean VECTOR = SelectiveScanKernels.vectorAvailable();

    private MatVec() {}

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
