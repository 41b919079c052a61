package io.vigil.lab.bench;

import io.vigil.spatiotemporal.ssm.FastExp;
import java.util.Arrays;
import java.util.Random;

/**
 * Joint space-time attention for the streaming benchmark: each frame, softmax attention of the current frame's T tokens
 * (queries) over all tokens of the last W frames (keys and values, kept in a cache), single head of width d:
 * out = softmax(Q K^T / sqrt(d)) V. Two kernels over the same cache: {@link #frame} one query at a time (each query
 * re-reads all of K and V: memory-bound), and {@link #tiledFrame} with {@link TiledAttention} (query blocks share each
 * K/V load). Cost grows with W either way; dot products go through {@link Dot} (the Vector API when enabled) and the
 * softmax's exp is the SSM kernels' float polynomial ({@link FastExp}), so neither side of a comparison has a dearer exp.
 */
final class AttentionBaseline {
    private final int t;
    private final int d;
    private final int w;
    private final float[] q;      // [T][d]
    private final float[] keys;   // [W·T][d]
    private final float[] keysT;  // the same keys in the tiled kernel's layout: [W·T / 64][d][64]
    private final float[] values; // [W·T][d]
    private final float[] scores; // [W·T]
    private final float[] out;    // [T][d]
    private final TiledAttention tiles;

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
        keysT = TiledAttention.transposeKeys(keys, 0, w * t, d);
        scores = new float[w * t];
        out = new float[t * d];
        tiles = new TiledAttention(d);
    }

    /** One frame, one query at a time over the W·T cached tokens. */
    float frame() {
        attend(q, t, keys, values, w * t, d, scores, out);
        return out[0];
    }

    /** The same frame with the tiled kernel. */
    float tiledFrame() {
        tiles.attend(q, 0, t, keysT, 0, values, 0, w * t, out, 0);
        return out[0];
    }

    float[] out() {
        return out;
    }

    /** The plain kernel: out [nq][d] = softmax(q K^T / sqrt(d)) V, K and V [n][d]; scores is an [n] workspace. */
    static void attend(float[] q, int nq, float[] keys, float[] values, int n, int d, float[] scores, float[] out) {
        float scale = (float) (1 / Math.sqrt(d));
        for (int i = 0; i < nq; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float s = Dot.dot(q, i * d, keys, j * d, d) * scale;
                scores[j] = s;
                if (s > max) max = s;
            }
            float sum = FastExp.expShiftedInPlace(scores, 0, n, max);
            Arrays.fill(out, i * d, (i + 1) * d, 0f);
            float inv = 1f / sum;
            for (int j = 0; j < n; j++) Dot.axpy(scores[j] * inv, values, j * d, out, i * d, d);
        }
    }
}
