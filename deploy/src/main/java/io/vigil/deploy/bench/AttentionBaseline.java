package io.vigil.deploy.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * The attention baseline for the streaming benchmark: each frame, softmax attention of the current frame's T tokens
 * (queries) over all tokens of the last W frames (keys and values, kept in a ring), single head of width d:
 * out = softmax(Q K^T / sqrt(d)) V. Cost grows with W; dot products and the weighted sum go through
 * {@link Dot} (the Vector API when it is enabled).
 */
final class AttentionBaseline {
    private final int t;
    private final int d;
    private final int w;
    private final float[] q;      // [T][d]
    private final float[] keys;   // [W·T][d]
    private final float[] values; // [W·T][d]
    private final float[] scores; // [W·T]
    private final float[] out;    // [T][d]

    AttentionBaseline(int tokens, int dim, int window, long seed) {
        this.t = tokens;
        this.d = dim;
        this.w = window;
        Random r = new Random(seed);
        q = new float[t * d];
        keys = new float[w * t * d];
        values = new float[w * t * d];
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (float) r.nextGaussian();
            values[i] = (float) r.nextGaussian();
        }
        scores = new float[w * t];
        out = new float[t * d];
    }

    /** One frame: every query token attends over the W·T cached tokens. */
    float frame() {
        int n = w * t;
        float scale = (float) (1 / Math.sqrt(d));
        for (int i = 0; i < t; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float s = Dot.dot(q, i * d, keys, j * d, d) * scale;
                scores[j] = s;
                if (s > max) max = s;
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(scores[j] - max);
                scores[j] = e;
                sum += e;
            }
            Arrays.fill(out, i * d, (i + 1) * d, 0f);
            float inv = (float) (1 / sum);
            for (int j = 0; j < n; j++) Dot.axpy(scores[j] * inv, values, j * d, out, i * d, d);
        }
        return out[0];
    }
}
