package io.vigil.lab.bench;

import java.util.Random;

/**
 * Divided space-time attention (TimeSformer-style) as a streaming baseline: each frame, every patch's token attends
 * over its own patch's last W tokens (temporal, K/V cache [T][W][d]), then the T results attend over the current frame's
 * T tokens (spatial, K/V [T][d]). Cost per frame T·W·d + T²·d instead of joint attention's W·T²·d. Both use
 * {@link TiledAttention}. Like the other attention rows: no Q/K/V projections, one head, one layer.
 */
final class FactorisedAttention {
    private final int t;
    private final int d;
    private final int w;
    private final float[] q;        // [T][d] current frame's queries
    private final float[] kTime;    // [T][W][d] each patch's history of keys
    private final float[] kTimeT;   // the same, each patch's W keys in the tiled kernel's layout
    private final int kTimeStride;  // floats per patch in kTimeT
    private final float[] vTime;    // [T][W][d]
    private final float[] kSpace;   // [T][d] current frame's keys
    private final float[] kSpaceT;  // the same, transposed
    private final float[] vSpace;   // [T][d]
    private final float[] temporal; // [T][d] temporal output = spatial queries
    private final float[] out;      // [T][d]
    private final TiledAttention tiles;

    FactorisedAttention(int tokens, int dim, int window, long seed) {
        this.t = tokens;
        this.d = dim;
        this.w = window;
        Random r = new Random(seed);
        q = gauss(r, t * d);
        kTime = gauss(r, t * w * d);
        vTime = gauss(r, t * w * d);
        kTimeStride = TiledAttention.transposedLength(w, d);
        kTimeT = new float[t * kTimeStride];
        for (int p = 0; p < t; p++) {
            float[] one = TiledAttention.transposeKeys(kTime, p * w, w, d);
            System.arraycopy(one, 0, kTimeT, p * kTimeStride, kTimeStride);
        }
        kSpace = gauss(r, t * d);
        kSpaceT = TiledAttention.transposeKeys(kSpace, 0, t, d);
        vSpace = gauss(r, t * d);
        temporal = new float[t * d];
        out = new float[t * d];
        tiles = new TiledAttention(d);
    }

    float frame() {
        for (int p = 0; p < t; p++) tiles.attend(q, p, 1, kTimeT, p * kTimeStride, vTime, p * w, w, temporal, p);
        tiles.attend(temporal, 0, t, kSpaceT, 0, vSpace, 0, t, out, 0);
        return out[0];
    }

    /** The two stages, for the test: temporal output of patch p and the final output. */
    float[] temporal() {
        return temporal;
    }

    float[] out() {
        return out;
    }

    float[] queries() {
        return q;
    }

    float[] keysTime() {
        return kTime;
    }

    float[] valuesTime() {
        return vTime;
    }

    float[] keysSpace() {
        return kSpace;
    }

    float[] valuesSpace() {
        return vSpace;
    }

    private static float[] gauss(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
        return f;
    }
}
