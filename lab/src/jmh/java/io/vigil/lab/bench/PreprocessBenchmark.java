package io.vigil.lab.bench;

import io.vigil.models.detect.FrameInput;
import io.vigil.models.detect.Letterbox;
import io.vigil.models.detect.Preprocessor;
import io.vigil.models.detect.ResizeMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
 * YOLOX-Nano's preprocessing of one frame into the detector's direct input buffer (416 x 416, BGR, no scaling): a
 * frame published at the letterbox's own size (416 x 312, what the gateway sends for a 4:3 camera: pad and convert
 * only) and a full vtest.avi-sized one (768 x 576: the bilinear resize too). Random pixels: the cost does not depend on them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PreprocessBenchmark {
    @Param({"416x312", "768x576"})
    public String frame;

    private Preprocessor pre;
    private FrameInput input;
    private FloatBuffer dst; // [3][416][416], direct, as the detector's

    @Setup
    public void setup() {
        String[] wh = frame.split("x");
        int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
        byte[] bgr = new byte[w * h * 3];
        new Random(1).nextBytes(bgr);
        input = FrameInput.of(bgr, w, h);
        pre = new Preprocessor(416, 416, ResizeMode.LETTERBOX_TOPLEFT, false, 114, 1f, null, null);
        dst = ByteBuffer.allocateDirect(3 * 416 * 416 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Benchmark
    public Letterbox apply() {
        dst.clear();
        return pre.apply(input, dst);
    }
}
