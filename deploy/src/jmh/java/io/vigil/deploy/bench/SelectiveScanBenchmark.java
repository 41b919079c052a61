package io.vigil.deploy.bench;

import io.vigil.spatiotemporal.ssm.SelectiveScanKernel;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Selective-scan throughput on one thread, d_inner 384, d_state 16, 196 tokens (a 14x14 patch grid). One
 * operation = one state update (one (d, n, t) triple), so the score is state-updates per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SelectiveScanBenchmark {
    static final int D = 384;
    static final int N = 16;
    static final int L = 196;

    @Param({"scalar", "vector"})
    public String kernel;

    private SelectiveScanKernel k;
    private float[] u, delta, a, b, c, dSkip, z, bias, state, out;

    @Setup
    public void setup() {
        k = SelectiveScanKernels.create(kernel);
        Random r = new Random(1);
        u = gauss(r, L * D);
        delta = gauss(r, L * D);
        a = new float[D * N];
        for (int i = 0; i < a.length; i++) a[i] = -(1 + i % N);
        b = gauss(r, L * N);
        c = gauss(r, L * N);
        dSkip = gauss(r, D);
        z = gauss(r, L * D);
        bias = gauss(r, D);
        state = new float[D * N];
        out = new float[L * D];
    }

    @Benchmark
    @OperationsPerInvocation(D * N * L)
    public float[] scan() {
        k.scan(D, N, L, u, delta, a, b, c, dSkip, z, bias, true, state, out);
        return out;
    }

    private static float[] gauss(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }
}
