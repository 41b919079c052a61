package io.vigil.spatiotemporal;

import static org.junit.jupiter.api.Assertions.fail;

/** numpy allclose: |actual - expected| <= atol + rtol·|expected|, element-wise, with the worst element reported. */
public final class Close {
    public static final double ATOL = 1e-4;
    public static final double RTOL = 1e-4;

    private Close() {}

    public static void assertAllClose(String what, float[] expected, float[] actual) {
        assertAllClose(what, expected, 0, actual, 0, expected.length);
    }

    public static void assertAllClose(String what, float[] expected, int eOff, float[] actual, int aOff, int n) {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < n; i++) {
            double e = expected[eOff + i];
            double a = actual[aOff + i];
            double excess = Math.abs(a - e) / (ATOL + RTOL * Math.abs(e));
            if (!(excess <= 1.0) && (worstAt < 0 || !(excess <= worst))) {
                worst = excess;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            fail(what + ": element " + worstAt + " expected " + expected[eOff + worstAt] + " got " + actual[aOff + worstAt]
                    + " (" + String.format("%.3g", worst) + "x the tolerance)");
        }
    }

    /** [rows][cols] -> [cols][rows], starting at {@code off} of {@code src}. */
    public static float[] transpose(float[] src, int off, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) out[c * rows + r] = src[off + r * cols + c];
        return out;
    }
}
