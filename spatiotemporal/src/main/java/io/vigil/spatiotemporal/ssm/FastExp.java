package io.vigil.spatiotemporal.ssm;

/**
 * The kernels' float polynomial exp for other code that needs many of them (a softmax): a[i] = e^(a[i] - shift) in
 * place, returning the sum. Lane-wise when the Vector API is enabled, else the scalar twin; same polynomial either way.
 */
public final class FastExp {
    private static final boolean VECTOR = SelectiveScanKernels.vectorAvailable();

    private FastExp() {}

    public static float expShiftedInPlace(float[] a, int from, int to, float shift) {
        if (VECTOR) return VectorMath.expShiftedInPlace(a, from, to, shift);
        float sum = 0f;
        for (int i = from; i < to; i++) {
            float e = ScalarMath.exp(a[i] - shift);
            a[i] = e;
            sum += e;
        }
        return sum;
    }
}
