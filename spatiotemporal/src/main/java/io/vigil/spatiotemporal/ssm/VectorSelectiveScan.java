package io.vigil.spatiotemporal.ssm;

import jdk.incubator.vector.FloatVector;
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

    private float[] hT = new float[0]; // [N][D] state, transposed for lane-wise loads
    private float[] aT = new float[0]; // [N][D] A, transposed

    @Override
    public void scan(int dim, int nState, int len, float[] u, float[] delta, float[] a, float[] b, float[] c,
                     float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus, float[] state, float[] out) {
        int bound = F.loopBound(dim);
        if (bound > 0) {
            if (hT.length < nState * dim) {
                hT = new float[nState * dim];
                aT = new float[nState * dim];
            }
            for (int d = 0; d < bound; d++) {
                for (int n = 0; n < nState; n++) {
                    hT[n * dim + d] = state[d * nState + n];
                    aT[n * dim + d] = a[d * nState + n];
                }
            }
            for (int d0 = 0; d0 < bound; d0 += F.length()) {
                scanBlock(d0, dim, nState, len, u, delta, b, c, dSkip, z, deltaBias, deltaSoftplus, out);
            }
            for (int d = 0; d < bound; d++) {
                for (int n = 0; n < nState; n++) state[d * nState + n] = hT[n * dim + d];
            }
        }
        for (int d = bound; d < dim; d++) scalarChannel(d, dim, nState, len, u, delta, a, b, c, dSkip, z, deltaBias, deltaSoftplus, state, out);
    }

    private void scanBlock(int d0, int dim, int nState, int len, float[] u, float[] delta, float[] b, float[] c,
                           float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus, float[] out) {
        FloatVector bias = deltaBias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, deltaBias, d0);
        FloatVector skip = FloatVector.fromArray(F, dSkip, d0);
        float[] h = hT;
        float[] at = aT;
        for (int t = 0; t < len; t++) {
            int td = t * dim + d0;
            FloatVector dt = FloatVector.fromArray(F, delta, td).add(bias);
            if (deltaSoftplus) dt = VectorMath.softplus(dt);
            FloatVector ut = FloatVector.fromArray(F, u, td);
            FloatVector du = dt.mul(ut);
            FloatVector y = FloatVector.zero(F);
            int tn = t * nState;
            for (int n = 0; n < nState; n++) {
                int nd = n * dim + d0;
                FloatVector decay = VectorMath.exp(dt.mul(FloatVector.fromArray(F, at, nd)));
                FloatVector hn = FloatVector.fromArray(F, h, nd).fma(decay, du.mul(b[tn + n]));
                hn.intoArray(h, nd);
                y = hn.fma(FloatVector.broadcast(F, c[tn + n]), y);
            }
            y = skip.fma(ut, y);
            if (z != null) y = y.mul(VectorMath.silu(FloatVector.fromArray(F, z, td)));
            y.intoArray(out, td);
        }
    }

    private static void scalarChannel(int d, int dim, int nState, int len, float[] u, float[] delta, float[] a, float[] b,
                                      float[] c, float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus,
                                      float[] state, float[] out) {
        for (int t = 0; t < len; t++) {
            float dt = delta[t * dim + d] + (deltaBias == null ? 0f : deltaBias[d]);
            if (deltaSoftplus) dt = ScalarSelectiveScan.softplus(dt);
            float ut = u[t * dim + d];
            float y = 0f;
            for (int n = 0; n < nState; n++) {
                int dn = d * nState + n;
                float hv = (float) Math.exp(dt * a[dn]) * state[dn] + dt * b[t * nState + n] * ut;
                state[dn] = hv;
                y += c[t * nState + n] * hv;
            }
            y += dSkip[d] * ut;
            if (z != null) y *= ScalarSelectiveScan.silu(z[t * dim + d]);
            out[t * dim + d] = y;
        }
    }

    @Override
    public String name() {
        return "vector";
    }
}
