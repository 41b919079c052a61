package io.vigil.deploy.bench;

import io.vigil.spatiotemporal.ssm.SelectiveScanKernel;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Selective-scan throughput (state updates per second, one thread) of both kernels over several shapes. */
public final class ScanBench {
    private ScanBench() {}

    /** CSV rows: kernel, d_inner, d_state, tokens, ms per scan, G state-updates/s. */
    public static List<String> run(int[] dims, int[] tokens, int dState) {
        List<String> rows = new ArrayList<>();
        rows.add("kernel,d_inner,d_state,tokens,ms_per_scan,g_updates_per_s");
        for (String kind : new String[] {"scalar", "vector"}) {
            if (kind.equals("vector") && !SelectiveScanKernels.vectorAvailable()) continue;
            for (int d : dims) {
                for (int l : tokens) {
                    SelectiveScanKernel k = SelectiveScanKernels.create(kind);
                    Random r = new Random(1);
                    float[] u = gauss(r, l * d), delta = gauss(r, l * d), z = gauss(r, l * d);
                    float[] a = new float[d * dState];
                    for (int i = 0; i < a.length; i++) a[i] = -(1 + i % dState);
                    float[] b = gauss(r, l * dState), c = gauss(r, l * dState), ds = gauss(r, d), bias = gauss(r, d);
                    float[] state = new float[d * dState];
                    float[] out = new float[l * d];
                    long updates = (long) d * dState * l;
                    int reps = (int) Math.max(1, Math.min(2000, 20_000_000 / updates));
                    double ms = Timer.medianMs(() -> {
                        for (int i = 0; i < reps; i++) k.scan(d, dState, l, u, delta, a, b, c, ds, z, bias, true, state, out);
                    }, 3, 7) / reps;
                    rows.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%.5f,%.3f", kind, d, dState, l, ms, updates / ms / 1e6));
                }
            }
        }
        return rows;
    }

    private static float[] gauss(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }
}
