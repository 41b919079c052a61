package io.vigil.spatiotemporal.ssm;

/**
 * The Mamba-1 selective scan (S6) over L tokens of one sequence, carrying the state. In the notation of
 * Gu &amp; Dao (2023), for every channel d, state n and token t:
 *
 * <pre>
 * Δ[t,d]   = softplus(delta[t,d] + deltaBias[d])         (softplus(x) = x for x &gt; 20)
 * h[d,n]   = exp(Δ[t,d]·A[d,n]) · h[d,n] + Δ[t,d]·B[t,n]·u[t,d]      (zero-order hold on A, Euler on B)
 * y[t,d]   = Σ_n C[t,n]·h[d,n] + Dskip[d]·u[t,d]
 * out[t,d] = y[t,d] · SiLU(z[t,d])                       (when z is given)
 * </pre>
 *
 * Layouts are token-major, as the Mamba block produces them:
 * {@code u, delta, z, out: [L][D]}; {@code B, C: [L][N]} (shared by all channels); {@code A: [D][N]};
 * {@code dSkip, deltaBias: [D]}; {@code state: [D][N]}, read as h before the first token and overwritten with h
 * after the last. Implementations keep their own workspaces: one instance per thread.
 */
public interface SelectiveScanKernel {
    void scan(int dim, int nState, int len,
              float[] u, float[] delta, float[] a, float[] b, float[] c, float[] dSkip, float[] z, float[] deltaBias,
              boolean deltaSoftplus, float[] state, float[] out);

    /** "scalar" or "vector". */
    String name();
}
