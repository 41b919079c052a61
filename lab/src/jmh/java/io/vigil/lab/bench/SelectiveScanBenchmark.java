package io.vigil.lab.bench;

import io.vigil.spatiotemporal.ssm.SelectiveScanKernel;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Selective-scan throughput on one thread, d_state 16, over the range of shapes (d_inner 64 to 1536; 1, 16 and 196
 * tokens per call, 196 = a 14x14 patch grid) for the reference kernel, the scalar kernel with the vector kernel's
 * polynomial exp ("scalar-poly", the fair SIMD baseline) and the vector kernel. The score is ns per scan call with
 * its 99.9 % interval; state-updates/s = dInner · 16 · tokens / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SelectiveScanBenchmark {
    static final int N = 16;

    @Param({"scalar", "scalar-poly", "vector"})
    public String kernel;

    @Param({"64", "384", "1536"})
    public int dInner;

    @Param({"1", "16", "196"})
    public int tokens;

    private SelectiveScanKernel k;
    private float[] u, delta, a, b, c, dSkip, z, bias, state, out;

    @Setup
    public void setup() {
        k = SelectiveScanKernels.create(kernel);
        int d = dInner, l = tokens;
        Random r = new Random(1);
        u = gauss(r, l * d);      // [L][D]
        delta = gauss(r, l * d);  // [L][D]
        a = new float[d * N];     // [D][N]
        for (int i = 0; i < a.length; i++) a[i] = -(1 + i % N);
        b = gauss(r, l * N);      // [L][N]
        c = gauss(r, l * N);      // [L][N]
        dSkip = gauss(r, d);      // [D]
        z = gauss(r, l * d);      // [L][D]
        bias = gauss(r, d);       // [D]
        state = new float[d * N]; // [D][N]
        out = new float[l * d];   // [L][D]
    }

    /** One scan call of dInner x 16 x tokens state updates (OperationsPerInvocation cannot follow a @Param). */
    @Benchmark
    public float[] scan() {
        k.scan(dInner, N, tokens, u, delta, a, b, c, dSkip, z, bias, true, state, out);
        return out;
    }

    private static float[] gauss(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }
}
