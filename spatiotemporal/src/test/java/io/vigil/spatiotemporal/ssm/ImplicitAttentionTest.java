package io.vigil.spatiotemporal.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ImplicitAttentionTest {
    /** From a zero state the chunk's summed output is exactly the sum of the tokens' contributions. */
    @Test
    void contributionsSumToTheChunksOutput() {
        MambaWeights w = MambaWeights.random(8, 4, 4, 2, 11);
        MambaBlock block = new MambaBlock(w, new ScalarSelectiveScan());
        int len = 13;
        float[] x = new float[len * 8];   // [L][d_model]
        Random r = new Random(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] y = new float[len * 8];
        block.forward(x, len, block.newState(), y);
        float[] rel = new float[len];
        float[] contrib = new float[len * 8];
        block.implicitAttention(len, rel, contrib);
        for (int j = 0; j < 8; j++) {
            double want = 0, got = 0;
            for (int t = 0; t < len; t++) {
                want += y[t * 8 + j];
                got += contrib[t * 8 + j];
            }
            assertEquals(want, got, 1e-4 * Math.max(1, Math.abs(want)), "output channel " + j);
        }
        for (int s = 0; s < len; s++) {
            double sq = 0;
            for (int j = 0; j < 8; j++) sq += contrib[s * 8 + j] * contrib[s * 8 + j];
            assertEquals(Math.sqrt(sq), rel[s], 1e-5);
            assertTrue(rel[s] > 0, "token " + s);
        }
    }

    /** One token from a zero state: its contribution is the whole output (the model's scale is not lost). */
    @Test
    void aSingleTokensContributionIsItsOutput() {
        MambaWeights w = MambaWeights.random(8, 4, 4, 2, 3);
        MambaBlock block = new MambaBlock(w, new ScalarSelectiveScan());
        float[] x = new float[8];
        Random r = new Random(9);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] y = new float[8];
        block.forward(x, 1, block.newState(), y);
        float[] rel = new float[1];
        float[] contrib = new float[8];
        block.implicitAttention(1, rel, contrib);
        for (int j = 0; j < 8; j++) assertEquals(y[j], contrib[j], 1e-6, "channel " + j);
    }
}
