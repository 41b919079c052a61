package io.vigil.spatiotemporal.ssm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The selective scan with the Java Vector API, vectorised across channels: for a block of channels
 * {@code d0 .. d0+lanes-1} the whole sequence is scanned with that block's states in a small transposed
 * workspace ({@code hT: [N][D]}), so every update is a full-width multiply-add and y needs no horizontal sum.
 * Channels past the last full block go through the scalar loop. No allocation per call once the workspaces
 * have grown to the largest shape seen.
 */
public final class VectorSelectiveScan implements SelectiveScanKernel {
    private static final VectorSpecies<Float> F = VectorMath.F;

    private static final float LOG2E = VectorMath.LOG2E;
    private static final float MAGIC = VectorMath.MAGIC;
    private static final float NEG_LN2 = VectorMath.NEG_LN2;
    private static final float P0 = VectorMath.P0;
    private static final float P1 = VectorMath.P1;
    private static final float P2 = VectorMath.P2;
    private static final float P3 = VectorMath.P3;

    private float[] hT = new float[0]; // [N][D] state, transposed for lane-wise loads
    private float[] aT = new float[0]; // [N][D] A, transposed
    private float[] dt = new float[0]; // [L][D] Δ after bias and softplus

    @Override
    public void scan(int dim, int nState, int len, float[] u, float[] delta, float[] a, float[] b, float[] c,
                     float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus, float[] state, float[] out) {
        int bound = F.loopBound(dim);
        if (bound > 0) {
            if (hT.length < nState * dim) {
                hT = new float[nState * dim];
                aT = new float[nState * dim];
            }
            if (dt.length < len * dim) dt = new float[len * dim];
            for (int d = 0; d < bound; d++) {
                for (int n = 0; n < nState; n++) {
                    hT[n * dim + d] = state[d * nState + n];
                    aT[n * dim + d] = a[d * nState + n];
                }
            }
            // The three passes are separate methods on purpose: with softplus, exp and SiLU in one loop nest
            // C2 runs out of inlining depth and boxes the vectors (measured: 10x slower).
            deltas(dim, bound, len, delta, deltaBias, deltaSoftplus);
            for (int d0 = 0; d0 < bound; d0 += F.length()) scanBlock(d0, dim, nState, len, u, b, c, dSkip, out);
            if (z != null) gate(dim, bound, len, z, out);
            for (int d = 0; d < bound; d++) {
                for (int n = 0; n < nState; n++) state[d * nState + n] = hT[n * dim + d];
            }
        }
        for (int d = bound; d < dim; d++) ScalarSelectiveScan.scanChannel(d, dim, nState, len, u, delta, a, b, c, dSkip, z, deltaBias, deltaSoftplus, state, out);
    }

    /** dt[t][d] = softplus(delta + bias) (or without softplus) for the vectorised channels. */
    private void deltas(int dim, int bound, int len, float[] delta, float[] deltaBias, boolean softplus) {
        float[] w = dt;
        for (int t = 0; t < len; t++) {
            int row = t * dim;
            for (int d = 0; d < bound; d += F.length()) {
                FloatVector v = FloatVector.fromArray(F, delta, row + d);
                if (deltaBias != null) v = v.add(FloatVector.fromArray(F, deltaBias, d));
                if (softplus) v = VectorMath.softplus(v);
                v.intoArray(w, row + d);
            }
        }
    }

    /**
     * The recurrence for channels d0 .. d0+lanes-1 over all tokens; writes y before the gate. exp(Δ·A) is
     * written out here (see {@link VectorMath#exp}) so this loop nest stays within C2's inlining depth.
     */
    private void scanBlock(int d0, int dim, int nState, int len, float[] u, float[] b, float[] c, float[] dSkip, float[] out) {
        FloatVector skip = FloatVector.fromArray(F, dSkip, d0);
        float[] h = hT;
        float[] at = aT;
        float[] w = dt;
        for (int t = 0; t < len; t++) {
            int td = t * dim + d0;
            FloatVector dtv = FloatVector.fromArray(F, w, td);
            FloatVector ut = FloatVector.fromArray(F, u, td);
            FloatVector du = dtv.mul(ut);
            FloatVector y = skip.mul(ut);
            int tn = t * nState;
            for (int n = 0; n < nState; n++) {
                int nd = n * dim + d0;
                FloatVector x = dtv.mul(FloatVector.fromArray(F, at, nd)).max(-87.3f); // Δ·A <= 0
                FloatVector tk = x.fma(LOG2E, MAGIC);
                FloatVector r = tk.sub(MAGIC).fma(FloatVector.broadcast(F, NEG_LN2), x);
                FloatVector q = r.fma(P3, P2).fma(r, FloatVector.broadcast(F, P1)).fma(r, FloatVector.broadcast(F, P0));
                FloatVector decay = q.fma(r.mul(r), r).add(1f)
                        .mul(tk.reinterpretAsInts().add(VectorMath.EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                FloatVector hn = FloatVector.fromArray(F, h, nd).fma(decay, du.mul(b[tn + n]));
                hn.intoArray(h, nd);
                y = hn.fma(FloatVector.broadcast(F, c[tn + n]), y);
            }
            y.intoArray(out, td);
        }
    }

    /** out *= SiLU(z) for the vectorised channels. */
    private static void gate(int dim, int bound, int len, float[] z, float[] out) {
        for (int t = 0; t < len; t++) {
            int row = t * dim;
            for (int d = 0; d < bound; d += F.length()) {
                FloatVector.fromArray(F, out, row + d).mul(VectorMath.silu(FloatVector.fromArray(F, z, row + d))).intoArray(out, row + d);
            }
        }
    }

    @Override
    public String name() {
        return "vector";
    }
}
