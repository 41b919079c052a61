package io.vigil.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The benchmark's attention kernels compute what they claim: tiled = plain, factorised = its two plain stages. */
class AttentionKernelsTest {
    @Test
    void tiledEqualsThePlainKernel() {
        // 37 tokens x 5 frames: neither the 16-query nor the 64-key block divides the sizes, so the tails run too
        AttentionBaseline a = new AttentionBaseline(37, 24, 5, 7);
        a.frame();
        float[] plain = a.out().clone();
        a.tiledFrame();
        assertClose(plain, a.out(), "tiled");
    }

    @Test
    void factorisedIsTemporalThenSpatialAttention() {
        int t = 21, d = 16, w = 70;
        FactorisedAttention f = new FactorisedAttention(t, d, w, 3);
        f.frame();
        float[] temporal = new float[t * d];
        float[] one = new float[d];
        float[] scores = new float[Math.max(w, t)];
        for (int p = 0; p < t; p++) {
            float[] q = java.util.Arrays.copyOfRange(f.queries(), p * d, (p + 1) * d);
            float[] k = java.util.Arrays.copyOfRange(f.keysTime(), p * w * d, (p + 1) * w * d);
            float[] v = java.util.Arrays.copyOfRange(f.valuesTime(), p * w * d, (p + 1) * w * d);
            AttentionBaseline.attend(q, 1, k, v, w, d, scores, one);
            System.arraycopy(one, 0, temporal, p * d, d);
        }
        assertClose(temporal, f.temporal(), "temporal stage");
        float[] out = new float[t * d];
        AttentionBaseline.attend(temporal, t, f.keysSpace(), f.valuesSpace(), t, d, scores, out);
        assertClose(out, f.out(), "spatial stage");
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4f * Math.max(1f, Math.abs(want[i])), what + " [" + i + "]");
    }
}
