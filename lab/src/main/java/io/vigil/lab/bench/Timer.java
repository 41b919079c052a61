package io.vigil.lab.bench;

import java.util.Arrays;

/** Median wall time of repeated runs, after warm-up runs. Benchmarks only, never tests. */
final class Timer {
    private Timer() {}

    /** Warm-up runs until at least {@code warmupMs} have passed (and at least one run), then the median of {@code runs}. */
    static double medianMsAfter(Runnable r, long warmupMs, int runs) {
        long until = System.nanoTime() + warmupMs * 1_000_000;
        do {
            r.run();
        } while (System.nanoTime() < until);
        return medianMs(r, 0, runs);
    }

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
