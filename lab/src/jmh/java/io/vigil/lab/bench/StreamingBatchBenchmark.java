package io.vigil.lab.bench;

import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One frame for each of {@code streams} cameras through the batched forward pass with the Java runner, and one
 * camera through {@code step}. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per
 * call, which the preallocated workspaces keep at zero. Random fixture weights: this measures cost, not labels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StreamingBatchBenchmark {
    @Param({"4"})
    public int streams;

    private SpatiotemporalModel model;
    private StreamState[] states; // [streams]
    private float[][] frames;     // [streams][3·112·112]
    private float[][] results;    // [streams][d_model]

    @Setup(Level.Trial)
    public void setup() {
        SpatiotemporalConfig cfg = new SpatiotemporalConfig(3, 112, 112, 8, 96, 16, 4, 2, 2, "spatiotemporal", 2, 2);
        model = SpatiotemporalModel.random(cfg, 1, "vector");
        Random r = new Random(2);
        frames = new float[streams][3 * 112 * 112];
        for (float[] f : frames) for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
        states = new StreamState[streams];
        for (int i = 0; i < streams; i++) states[i] = model.newState();
        results = new float[streams][96];
    }

    @Benchmark
    public float[][] stepBatch() {
        model.stepBatch(frames, states, results, model.javaRunner());
        return results;
    }

    @Benchmark
    public float[] step() {
        model.step(frames[0], states[0], results[0]);
        return results[0];
    }
}
