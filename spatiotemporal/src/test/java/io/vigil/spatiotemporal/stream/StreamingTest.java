package io.vigil.spatiotemporal.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.Close;
import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.scan.ScanPaths;
import io.vigil.spatiotemporal.ssm.MambaBlock;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void randomChunksEqualTheOneShotRun(String kernel) {
        MambaWeights w = MambaWeights.random(32, 16, 4, 2, 11);
        MambaBlock block = new MambaBlock(w, SelectiveScanKernels.create(kernel));
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int len = 1 + r.nextInt(120);
            float[] x = new float[len * 32];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] whole = new float[len * 32];
            MambaState s1 = block.newState();
            block.forward(x, len, s1, whole);
            MambaState s2 = block.newState();
            float[] chunked = new float[len * 32];
            for (int at = 0; at < len; ) {
                int n = Math.min(len - at, 1 + r.nextInt(17));
                block.forward(x, at * 32, n, s2, chunked, at * 32);
                at += n;
            }
            Close.assertAllClose("trial " + trial + " y", whole, chunked);
            Close.assertAllClose("trial " + trial + " ssm", s1.ssm, s2.ssm);
            assertArrayEquals(s1.conv, s2.conv, "conv window holds the same inputs");
        }
    }

    private static SpatiotemporalConfig cfg(String path) {
        return new SpatiotemporalConfig(3, 24, 32, 4, 16, 8, 4, 2, 2, path, 2, 2);
    }

    private static float[] frame(Random r) {
        float[] f = new float[3 * 24 * 32];
        for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
        return f;
    }

    @Test
    void serialiseRestoreContinueIsBitIdenticalToUninterrupted() {
        for (String path : new String[] {"spatiotemporal", "cross-scan", "hierarchical"}) {
            SpatiotemporalModel model = SpatiotemporalModel.random(cfg(path), 42, null);
            Random r = new Random(9);
            float[][] frames = new float[12][];
            for (int i = 0; i < frames.length; i++) frames[i] = frame(r);
            float[] a = new float[16];
            float[] b = new float[16];
            StreamState straight = model.newState();
            for (float[] f : frames) model.step(f, straight, a);

            StreamState first = model.newState();
            for (int i = 0; i < 5; i++) model.step(frames[i], first, b);
            byte[] bytes = first.toBytes();
            assertEquals(first.sizeInBytes(), bytes.length);
            StreamState restored = StreamState.fromBytes(bytes, model.newState());
            assertEquals(first, restored);
            for (int i = 5; i < frames.length; i++) model.step(frames[i], restored, b);
            assertArrayEquals(a, b, path + ": restored stream equals the uninterrupted one");
            assertEquals(12, restored.frames());
            assertEquals(straight, restored);
        }
    }

    @Test
    void stateIsCarriedAcrossFramesAndOnlyByTheCarriedDirection() {
        SpatiotemporalModel model = SpatiotemporalModel.random(cfg("spatiotemporal"), 1, null);
        Random r = new Random(3);
        float[] f0 = frame(r);
        float[] f1 = frame(r);
        float[] carried = new float[16];
        float[] fresh = new float[16];
        StreamState s = model.newState();
        model.step(f0, s, carried);
        model.step(f1, s, carried);
        model.step(f1, model.newState(), fresh);
        assertNotEquals(carried[0], fresh[0], "frame 1 depends on frame 0 through the state");
        StreamState reset = s.copy();
        reset.reset();
        assertEquals(model.newState(), reset);
    }

    @Test
    void everyPathRunsThroughTheModel() {
        for (String path : ScanPaths.DESCRIPTIONS.keySet()) {
            SpatiotemporalModel model = SpatiotemporalModel.random(cfg(path), 7, null);
            float[] out = new float[16];
            StreamState s = model.newState();
            model.step(frame(new Random(1)), s, out);
            for (float v : out) assertTrue(Float.isFinite(v), path);
            assertEquals(model.plan().directions().size(), ScanPaths.create(path, 6, 8, 2, 2).directions().size());
        }
    }

    @Test
    void stepBatchWithTheJavaRunnerIsBitIdenticalToSteppingEachStream() {
        for (String path : new String[] {"spatiotemporal", "cross-scan", "hierarchical"}) {
            SpatiotemporalModel model = SpatiotemporalModel.random(cfg(path), 21, null);
            int streams = 3;
            StreamState[] batched = new StreamState[streams];
            StreamState[] single = new StreamState[streams];
            for (int b = 0; b < streams; b++) {
                batched[b] = model.newState();
                single[b] = model.newState();
            }
            Random r = new Random(4);
            float[][] res = new float[streams][16];
            float[] one = new float[16];
            for (int f = 0; f < 4; f++) {
                float[][] frames = new float[streams][];
                for (int b = 0; b < streams; b++) frames[b] = frame(r);
                model.stepBatch(frames, batched, res, model.javaRunner());
                for (int b = 0; b < streams; b++) {
                    model.step(frames[b], single[b], one);
                    assertArrayEquals(one, res[b], path + " frame " + f + " stream " + b);
                    assertEquals(single[b], batched[b]);
                }
            }
        }
    }

    @Test
    void saveLoadGivesTheSameOutputs() {
        SpatiotemporalModel model = SpatiotemporalModel.random(cfg("bidirectional"), 5, null);
        Path file = tmp.resolve("m.safetensors");
        model.save(file);
        SpatiotemporalModel back = SpatiotemporalModel.load(file, null);
        float[] a = new float[16];
        float[] b = new float[16];
        float[] f = frame(new Random(2));
        model.step(f, model.newState(), a);
        back.step(f, back.newState(), b);
        assertArrayEquals(a, b);
    }

    @Test
    void corruptStateBytesAreRejectedWithTheReason() {
        SpatiotemporalModel model = SpatiotemporalModel.random(cfg("raster"), 5, null);
        byte[] good = model.newState().toBytes();
        assertMessage(java.util.Arrays.copyOf(good, 20), model, "truncated");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertMessage(magic, model, "bad magic");
        byte[] version = good.clone();
        version[5] = 9;
        assertMessage(version, model, "version 9");
        SpatiotemporalModel other = SpatiotemporalModel.random(new SpatiotemporalConfig(3, 24, 32, 4, 16, 4, 4, 2, 2, "raster", 2, 2), 5, null);
        assertMessage(good, other, "the model's is");
    }

    private static void assertMessage(byte[] b, SpatiotemporalModel m, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamState.fromBytes(b, m.newState()));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
