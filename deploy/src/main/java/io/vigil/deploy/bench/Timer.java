package io.vigil.deploy.bench;

import java.util.Arrays;

/** Median wall time of repeated runs, after warm-up runs. Benchmarks only, never tests. */
final class Timer {
    private Timer() {}

    static double medianMs(Runnable r, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) r.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
