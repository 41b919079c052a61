package io.vigil.spatiotemporal.ssm;

/**
 * The reference kernel's loops with the vector kernel's arithmetic: float polynomial exp, softplus and SiLU
 * ({@link ScalarMath}) instead of double-precision {@code Math.exp}/{@code log1p}. It is the fair scalar baseline
 * for the vector kernel (same work per update, no SIMD), and is tested against the reference like the vector kernel.
 */
public final class PolyExpScalarSelectiveScan implements SelectiveScanKernel {
    @Override
    public void scan(int dim, int nState, int len, float[] u, float[] delta, float[] a, float[] b, float[] c,
                     float[] dSkip, float[] z, float[] deltaBias, boolean deltaSoftplus, float[] state, float[] out) {
        for (int d = 0; d < dim; d++) {
            float bias = deltaBias == null ? 0f : deltaBias[d];
            int row = d * nState;
            for (int t = 0; t < len; t++) {
                float dt = delta[t * dim + d] + bias;
                if (deltaSoftplus) dt = ScalarMath.softplus(dt);
                float ut = u[t * dim + d];
                float dtu = dt * ut;
                int bt = t * nState;
                float y = 0f;
                for (int n = 0; n < nState; n++) {
                    float h = Math.fma(ScalarMath.exp(dt * a[row + n]), state[row + n], dtu * b[bt + n]);
                    state[row + n] = h;
                    y = Math.fma(c[bt + n], h, y);
                }
                y = Math.fma(dSkip[d], ut, y);
                if (z != null) y *= ScalarMath.silu(z[t * dim + d]);
                out[t * dim + d] = y;
            }
        }
    }

    @Override
    public String name() {
        return "scalar-poly";
    }
}
