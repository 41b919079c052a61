package io.vigil.spatiotemporal.ssm;

/**
 * The reference kernel: the equations of {@link SelectiveScanKernel}, one multiply at a time. It is the
 * specification the vector kernel is tested against, and the fallback where the Vector API is absent.
 */
public final class ScalarSelectiveScan implements SelectiveScanKernel {
    @Override
    public void scan(int dim, int nState, int len, float[] u, float[] delta, float[] a, float[] b, float[] c,
                     float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus, float[] state, float[] out) {
        for (int d = 0; d < dim; d++) scanChannel(d, dim, nState, len, u, delta, a, b, c, dSkip, z, deltaBias, deltaSoftplus, state, out);
    }

    /**
     * The recurrence of channel {@code d} over all tokens (channels are independent, so the order of channels does not
     * change a result). The vector kernel runs its tail channels through this too.
     */
    static void scanChannel(int d, int dim, int nState, int len, float[] u, float[] delta, float[] a, float[] b, float[] c,
                            float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus, float[] state, float[] out) {
        for (int t = 0; t < len; t++) {
            float dt = delta[t * dim + d] + (deltaBias == null ? 0f : deltaBias[d]);
            if (deltaSoftplus) dt = Activations.softplus(dt);
            float ut = u[t * dim + d];
            float y = 0f;
            for (int n = 0; n < nState; n++) {
                int dn = d * nState + n;
                float h = (float) Math.exp(dt * a[dn]) * state[dn] + dt * b[t * nState + n] * ut;
                state[dn] = h;
                y += c[t * nState + n] * h;
            }
            y += dSkip[d] * ut;
            if (z != null) y *= Activations.silu(z[t * dim + d]);
            out[t * dim + d] = y;
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
