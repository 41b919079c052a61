package io.vigil.lab.bench;

import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;

/** dot and axpy for the attention baseline: the Vector API when enabled, plain loops otherwise. */
final class Dot {
    static final boolean VECTOR = SelectiveScanKernels.vectorAvailable();

    private Dot() {}

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        if (VECTOR) return VectorDot.dot(a, ao, b, bo, n);
        float s = 0;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        if (VECTOR) {
            VectorDot.axpy(alpha, x, xo, y, yo, n);
            return;
        }
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** out[oo + j] = scale · Σ_x q[qo + x] · kT[ko + x·kb + j] for j in [0, kb): one query against a transposed key block. */
    static void scoresTransposed(float[] q, int qo, float[] kT, int ko, int d, int kb, float scale, float[] out, int oo) {
        if (VECTOR) {
            VectorDot.scoresTransposed(q, qo, kT, ko, d, kb, scale, out, oo);
            return;
        }
        java.util.Arrays.fill(out, oo, oo + kb, 0f);
        for (int x = 0; x < d; x++) {
            float qx = q[qo + x];
            for (int j = 0; j < kb; j++) out[oo + j] += qx * kT[ko + x * kb + j];
        }
        for (int j = 0; j < kb; j++) out[oo + j] *= scale;
    }
}
