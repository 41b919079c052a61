package io.vigil.lab.bench;

import io.vigil.spatiotemporal.ssm.SelectiveScanKernel;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Selective-scan throughput (state updates per second, one thread) of three kernels on every shape: the reference
 * (double-precision Math.exp), the scalar kernel with the vector kernel's float polynomial exp (the fair baseline:
 * same arithmetic, no SIMD), and the vector kernel. The kernels take turns within each shape, round by round, so
 * drift of the machine falls on all three alike.
 */
public final class ScanBench {
    static final String[] KERNELS = {"scalar", "scalar-poly", "vector"};
    static final int ROUNDS = 7;

    private ScanBench() {}

    /** CSV rows: one per shape, G state-updates/s of each kernel (median of the rounds) and the two speed-ups. */
    public static List<String> run(int[] dims, int[] tokens, int dState) {
        boolean vector = SelectiveScanKernels.vectorAvailable();
        int kinds = vector ? 3 : 2;
        List<String> rows = new ArrayList<>();
        rows.add("d_inner,d_state,tokens,reference_g_updates_per_s,scalar_poly_g_updates_per_s,vector_g_updates_per_s,"
                + "vector_over_scalar_poly,vector_over_reference");
        for (int d : dims) {
            for (int l : tokens) {
                Random r = new Random(1);
                float[] u = gauss(r, l * d), delta = gauss(r, l * d), z = gauss(r, l * d); // [L][D]
                float[] a = new float[d * dState];                                         // [D][N]
                for (int i = 0; i < a.length; i++) a[i] = -(1 + i % dState);
                float[] b = gauss(r, l * dState), c = gauss(r, l * dState);                // [L][N]
                float[] ds = gauss(r, d), bias = gauss(r, d);                              // [D]
                float[] state = new float[d * dState];                                     // [D][N]
                float[] out = new float[l * d];                                            // [L][D]
                long updates = (long) d * dState * l;
                int reps = (int) Math.max(1, Math.min(20_000, 20_000_000 / updates));
                SelectiveScanKernel[] k = new SelectiveScanKernel[kinds];
                for (int i = 0; i < kinds; i++) {
                    k[i] = SelectiveScanKernels.create(KERNELS[i]);
                    // warm-up: enough calls for C2 to have compiled the kernel at this shape
                    for (int w = 0; w < 3; w++) scanReps(k[i], reps, d, dState, l, u, delta, a, b, c, ds, z, bias, state, out);
                }
                double[][] ms = new double[kinds][ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < kinds; i++) {
                        long t0 = System.nanoTime();
                        scanReps(k[i], reps, d, dState, l, u, delta, a, b, c, ds, z, bias, state, out);
                        ms[i][round] = (System.nanoTime() - t0) / 1e6 / reps;
                    }
                }
                double[] g = new double[3];
                for (int i = 0; i < kinds; i++) {
                    Arrays.sort(ms[i]);
                    g[i] = updates / ms[i][ROUNDS / 2] / 1e6;
                }
                rows.add(String.format(Locale.ROOT, "%d,%d,%d,%.3f,%.3f,%s,%s,%s", d, dState, l, g[0], g[1],
                        vector ? String.format(Locale.ROOT, "%.3f", g[2]) : "-",
                        vector ? String.format(Locale.ROOT, "%.1f", g[2] / g[1]) : "-",
                        vector ? String.format(Locale.ROOT, "%.1f", g[2] / g[0]) : "-"));
            }
        }
        return rows;
    }

    private static void scanReps(SelectiveScanKernel k, int reps, int d, int n, int l, float[] u, float[] delta, float[] a, float[] b,
                                 float[] c, float[] ds, float[] z, float[] bias, float[] state, float[] out) {
        for (int i = 0; i < reps; i++) k.scan(d, n, l, u, delta, a, b, c, ds, z, bias, true, state, out);
    }

    private static float[] gauss(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }
}
