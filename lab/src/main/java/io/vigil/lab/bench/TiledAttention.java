package io.vigil.lab.bench;

import io.vigil.spatiotemporal.ssm.FastExp;
import java.util.Arrays;

/**
 * Softmax attention of Q [nq][d] over n keys and values computed in tiles: a block of {@value #QUERY_BLOCK} queries
 * walks the keys in blocks of {@value #KEY_BLOCK}. Keys are stored block-transposed ({@link #transposeKeys}: per key
 * block [d][KEY_BLOCK]), so a query's scores against a key block are d broadcast-fma over KEY_BLOCK lanes with no
 * horizontal sums, and each key and value block is loaded once per query block (not once per query). The softmax is
 * kept online (running max and sum per query, rescaled when the max grows), so no [nq][n] score matrix is written.
 * The same result as {@link AttentionBaseline#attend} up to float rounding.
 */
final class TiledAttention {
    static final int QUERY_BLOCK = 16;
    static final int KEY_BLOCK = 64;

    private final int d;
    private final float[] s = new float[QUERY_BLOCK * KEY_BLOCK]; // [QB][KB] scores, then weights, of one tile
    private final float[] max = new float[QUERY_BLOCK];           // [QB] running max of each query's scores
    private final float[] sum = new float[QUERY_BLOCK];           // [QB] running sum of exp(score - max)
    private final float[] acc;                                    // [QB][d] running weighted sum of values

    TiledAttention(int dim) {
        this.d = dim;
        this.acc = new float[QUERY_BLOCK * dim];
    }

    /** Row-major keys [n][d] to the kernel's layout: [ceil(n / KB)][d][KB], the last block zero-padded. */
    static float[] transposeKeys(float[] keys, int k0, int n, int d) {
        int blocks = (n + KEY_BLOCK - 1) / KEY_BLOCK;
        float[] t = new float[blocks * d * KEY_BLOCK];
        for (int j = 0; j < n; j++) {
            int b = j / KEY_BLOCK, c = j % KEY_BLOCK;
            for (int x = 0; x < d; x++) t[(b * d + x) * KEY_BLOCK + c] = keys[(k0 + j) * d + x];
        }
        return t;
    }

    /** Floats one sequence of n keys takes in the transposed layout. */
    static int transposedLength(int n, int d) {
        return (n + KEY_BLOCK - 1) / KEY_BLOCK * d * KEY_BLOCK;
    }

    /**
     * out rows o0.. = softmax(q rows q0..q0+nq-1 · K^T / sqrt(d)) V, for keys {@code kT} (transposed layout, starting at
     * float kT0) and values V rows v0 .. v0+n-1 (row-major [n][d]).
     */
    void attend(float[] q, int q0, int nq, float[] kT, int kT0, float[] v, int v0, int n, float[] out, int o0) {
        float scale = (float) (1 / Math.sqrt(d));
        for (int qb = 0; qb < nq; qb += QUERY_BLOCK) {
            int bq = Math.min(QUERY_BLOCK, nq - qb);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            Arrays.fill(sum, 0f);
            Arrays.fill(acc, 0f);
            for (int kb = 0; kb < n; kb += KEY_BLOCK) {
                int bk = Math.min(KEY_BLOCK, n - kb);
                int block = kT0 + kb / KEY_BLOCK * d * KEY_BLOCK;
                for (int i = 0; i < bq; i++) Dot.scoresTransposed(q, (q0 + qb + i) * d, kT, block, d, KEY_BLOCK, scale, s, i * KEY_BLOCK);
                for (int i = 0; i < bq; i++) {
                    int row = i * KEY_BLOCK;
                    float m = max[i];
                    for (int j = 0; j < bk; j++) m = Math.max(m, s[row + j]);
                    if (m > max[i]) {
                        float shrink = (float) Math.exp(max[i] - m); // 0 on the first tile
                        sum[i] *= shrink;
                        for (int x = 0; x < d; x++) acc[i * d + x] *= shrink;
                        max[i] = m;
                    }
                    sum[i] += FastExp.expShiftedInPlace(s, row, row + bk, m);
                }
                for (int j = 0; j < bk; j++) {
                    int vj = (v0 + kb + j) * d;
                    for (int i = 0; i < bq; i++) Dot.axpy(s[i * KEY_BLOCK + j], v, vj, acc, i * d, d);
                }
            }
            for (int i = 0; i < bq; i++) {
                float inv = 1f / sum[i];
                int o = (o0 + qb + i) * d;
                for (int x = 0; x < d; x++) out[o + x] = acc[i * d + x] * inv;
            }
        }
    }
}
