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
 * Per-frame cost of the streaming step of a 2-layer model (d_model 96, d_state 16, expand 2) over a 14 x 14
 * patch grid (196 tokens), after the stream has already run {@code history} frames. Linear-time streaming
 * means the two rows are equal within noise. Random fixture weights: this measures cost, not labels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StreamingStepBenchmark {
    @Param({"1", "10000"})
    public int history;

    @Param({"vector"})
    public String kernel;

    private SpatiotemporalModel model;
    private StreamState saved;   // the stream after exactly `history` frames
    private StreamState state;   // what the measured step advances; back to `saved` before every invocation
    private float[][] frames;
    private float[] out;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        SpatiotemporalConfig cfg = new SpatiotemporalConfig(3, 112, 112, 8, 96, 16, 4, 2, 2, "spatiotemporal", 2, 2);
        model = SpatiotemporalModel.random(cfg, 1, kernel);
        Random r = new Random(2);
        frames = new float[16][3 * 112 * 112];
        for (float[] f : frames) for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
        out = new float[96];
        saved = model.newState();
        for (int i = 0; i < history; i++) model.step(frames[i % frames.length], saved, out);
    }

    /** Every measured step starts at exactly `history` frames (a step is milliseconds: the copy does not disturb it). */
    @Setup(Level.Invocation)
    public void restore() {
        state = saved.copy();
    }

    @Benchmark
    public float[] step() {
        model.step(frames[next++ & 15], state, out);
        return out;
    }
}
