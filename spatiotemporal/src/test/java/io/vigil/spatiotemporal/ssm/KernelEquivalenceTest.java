package io.vigil.spatiotemporal.ssm;

import static io.vigil.spatiotemporal.Close.assertAllClose;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vector and the poly-exp scalar kernels against the scalar reference on shapes the golden files do not cover. */
class KernelEquivalenceTest {
    @ParameterizedTest
    @CsvSource({"384,16,196", "37,16,50", "100,4,7", "16,1,1", "48,8,300"})
    void vectorEqualsScalar(int dim, int n, int len) {
        agreesWithTheReference(new VectorSelectiveScan(), dim, n, len);
    }

    @ParameterizedTest
    @CsvSource({"384,16,196", "37,16,50", "16,1,1"})
    void polyExpScalarEqualsScalar(int dim, int n, int len) {
        agreesWithTheReference(new PolyExpScalarSelectiveScan(), dim, n, len);
    }

    private static void agreesWithTheReference(SelectiveScanKernel kernel, int dim, int n, int len) {
        Random r = new Random(dim * 31L + n * 7L + len);
        float[] u = gauss(r, len * dim, 1);
        float[] delta = gauss(r, len * dim, 2);
        delta[0] = 30f;       // softplus cut-off
        delta[len * dim - 1] = -40f;
        float[] a = new float[dim * n];
        for (int i = 0; i < a.length; i++) a[i] = -(float) Math.exp(r.nextGaussian() * 0.5 + Math.log(1 + i % n));
        float[] b = gauss(r, len * n, 1);
        float[] c = gauss(r, len * n, 1);
        float[] d = gauss(r, dim, 1);
        float[] z = gauss(r, len * dim, 2);
        float[] bias = gauss(r, dim, 1);
        float[] s1 = gauss(r, dim * n, 0.5);
        float[] s2 = s1.clone();
        float[] o1 = new float[len * dim];
        float[] o2 = new float[len * dim];
        new ScalarSelectiveScan().scan(dim, n, len, u, delta, a, b, c, d, z, bias, true, s1, o1);
        kernel.scan(dim, n, len, u, delta, a, b, c, d, z, bias, true, s2, o2);
        assertAllClose("out", o1, o2);
        assertAllClose("state", s1, s2);
        // without gate, bias or softplus
        float[] s3 = new float[dim * n];
        float[] s4 = new float[dim * n];
        float[] absDelta = delta.clone();
        for (int i = 0; i < absDelta.length; i++) absDelta[i] = Math.min(Math.abs(absDelta[i]), 5f);
        new ScalarSelectiveScan().scan(dim, n, len, u, absDelta, a, b, c, d, null, null, false, s3, o1);
        kernel.scan(dim, n, len, u, absDelta, a, b, c, d, null, null, false, s4, o2);
        assertAllClose("out (no gate)", o1, o2);
        assertAllClose("state (no gate)", s3, s4);
    }

    private static float[] gauss(Random r, int n, double scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (r.nextGaussian() * scale);
        return f;
    }
}
