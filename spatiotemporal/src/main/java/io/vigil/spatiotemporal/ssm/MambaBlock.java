package io.vigil.spatiotemporal.ssm;

import java.util.Arrays;

import static io.vigil.spatiotemporal.ssm.Activations.silu;
import static io.vigil.spatiotemporal.ssm.Activations.softplus;

/**
 * One Mamba block (Gu &amp; Dao 2023, the reference module's forward and step), on token-major sequences
 * x: [L][d_model] -&gt; y: [L][d_model]. With E = d_inner, N = d_state, K = d_conv, R = dt_rank:
 *
 * <pre>
 * [x_t ; z_t] = in_proj · x_t                               (x branch: first E rows, gate z: last E)
 * xc_t        = conv1d.bias + Σ_k conv1d.weight[:,k] ⊙ x_{t-(K-1)+k}     (causal, PyTorch cross-correlation)
 * u_t         = SiLU(xc_t)
 * [dt ; B_t ; C_t] = x_proj · u_t                           (R, N, N)
 * delta_t     = dt_proj.weight · dt                          (dt_proj.bias is the scan's delta bias)
 * A           = -exp(A_log)
 * out         = selective_scan(u, delta, A, B, C, D, z, delta_bias = dt_proj.bias, softplus)
 * y_t         = out_proj · out_t
 * </pre>
 *
 * {@link #forward} runs a chunk of any length from the given {@link MambaState} and leaves the state after
 * the chunk in it, so a stream fed in chunks of any sizes equals the one-shot run; {@link #step} is the
 * one-token case. The block owns workspaces: one instance per thread; states are per stream.
 */
public final class MambaBlock {
    private final MambaWeights w;
    private final SelectiveScanKernel kernel;
    private int capacity;
    private float[] xz;      // [L][2E]
    private float[] ext;     // [(K-1)+L][E]: conv history then this chunk's x branch
    private float[] z;       // [L][E]
    private float[] u;       // [L][E]
    private float[] proj;    // [L][R+2N]
    private float[] dtLow;   // [L][R]
    private float[] bMat;    // [L][N]
    private float[] cMat;    // [L][N]
    private float[] delta;   // [L][E]
    private float[] scanOut; // [L][E]
    private float[] attnG;   // [E][N]   implicit attention workspaces, made on first use
    private float[] attnC;   // [L][E]
    private float[] attnR;   // [L][d_model]

    public MambaBlock(MambaWeights weights, SelectiveScanKernel kernel) {
        this.w = weights;
        this.kernel = kernel;
        ensure(1);
    }

    public MambaWeights weights() {
        return w;
    }

    public MambaState newState() {
        return new MambaState(w.dInner, w.dConv, w.dState);
    }

    public void step(float[] x, MambaState state, float[] y) {
        forward(x, 1, state, y);
    }

    /**
     * @param x     [len][d_model]
     * @param state read as the state before the chunk, left as the state after it
     * @param y     [len][d_model], written
     */
    public void forward(float[] x, int len, MambaState state, float[] y) {
        forward(x, 0, len, state, y, 0);
    }

    public void forward(float[] x, int xOff, int len, MambaState state, float[] y, int yOff) {
        ensure(len);
        final int e = w.dInner;
        final int k = w.dConv;
        final int n = w.dState;
        final int r = w.dtRank;
        final int p = r + 2 * n;
        MatVec.applyT(w.inProjT, 2 * e, w.dModel, x, xOff, w.dModel, len, xz, 0, 2 * e);
        // conv history: the K-1 newest inputs of the state, then this chunk's x branch
        for (int j = 0; j < k - 1; j++) {
            for (int c = 0; c < e; c++) ext[j * e + c] = state.conv[c * k + j + 1];
        }
        for (int t = 0; t < len; t++) {
            System.arraycopy(xz, t * 2 * e, ext, (k - 1 + t) * e, e);
            System.arraycopy(xz, t * 2 * e + e, z, t * e, e);
        }
        for (int t = 0; t < len; t++) {
            for (int c = 0; c < e; c++) {
                float s = w.convB[c];
                for (int j = 0; j < k; j++) s += w.convW[c * k + j] * ext[(t + j) * e + c];
                u[t * e + c] = s;
            }
        }
        // u = SiLU(xc), lane-wise when the Vector API is there (the scalar exp was a fifth of a frame's step)
        int from = MatVec.VECTOR ? VectorMath.siluInPlace(u, 0, len * e) : 0;
        for (int i = from; i < len * e; i++) u[i] = u[i] / (1f + (float) Math.exp(-u[i]));
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < e; c++) state.conv[c * k + j] = ext[(len - 1 + j) * e + c];
        }
        MatVec.applyT(w.xProjT, p, e, u, 0, e, len, proj, 0, p);
        for (int t = 0; t < len; t++) {
            System.arraycopy(proj, t * p, dtLow, t * r, r);
            System.arraycopy(proj, t * p + r, bMat, t * n, n);
            System.arraycopy(proj, t * p + r + n, cMat, t * n, n);
        }
        MatVec.applyT(w.dtProjWT, e, r, dtLow, 0, r, len, delta, 0, e);
        kernel.scan(e, n, len, u, delta, w.a, bMat, cMat, w.dSkip, z, w.dtProjB, true, state.ssm, scanOut);
        MatVec.applyT(w.outProjT, w.dModel, e, scanOut, 0, e, len, y, yOff, w.dModel);
    }

    /**
     * The selective scan's implicit attention over the last {@link #forward} chunk (Ali et al., "The Hidden Attention
     * of Mamba Models"): with Δ, B, C and the gate held at their values, the chunk's summed output is linear in the
     * tokens, Σ_t y_t = Σ_s r_s + (the part carried in from the state before the chunk), where
     *
     * <pre>
     * G_s[e,n] = C_s[n]·g_s[e] + Ā_{s+1}[e,n]·G_{s+1}[e,n]      g = SiLU(z), Ā_t = exp(Δ_t·A), G_L = 0
     * r_s      = out_proj · ( Δ_s ⊙ u_s ⊙ Σ_n G_s[·,n]·B_s[n]  +  D ⊙ u_s ⊙ g_s )
     * </pre>
     *
     * that is token s's Δ·B·x carried through the decays to every later output. Writes ‖r_s‖₂ for each token.
     *
     * @param len       the last chunk's length
     * @param relevance [len], written
     * @param contrib   [len][d_model] r_s, written when not null
     */
    public void implicitAttention(int len, float[] relevance, float[] contrib) {
        final int e = w.dInner;
        final int n = w.dState;
        final int dm = w.dModel;
        if (attnG == null || attnG.length < e * n) attnG = new float[e * n];
        if (attnC == null || attnC.length < capacity * e) attnC = new float[capacity * e];
        if (attnR == null || attnR.length < capacity * dm) attnR = new float[capacity * dm];
        float[] g = attnG;                 // [E][N], G_s as s runs backwards
        Arrays.fill(g, 0, e * n, 0f);
        for (int s = len - 1; s >= 0; s--) {
            for (int c = 0; c < e; c++) {
                float gate = silu(z[s * e + c]);
                float ds = softplus(delta[s * e + c] + w.dtProjB[c]);
                float next = s + 1 < len ? softplus(delta[(s + 1) * e + c] + w.dtProjB[c]) : 0f;
                float sum = 0f;
                for (int k = 0; k < n; k++) {
                    int cn = c * n + k;
                    float decay = s + 1 < len ? (float) Math.exp(next * w.a[cn]) : 0f;
                    g[cn] = cMat[s * n + k] * gate + decay * g[cn];
                    sum += g[cn] * bMat[s * n + k];
                }
                attnC[s * e + c] = ds * u[s * e + c] * sum + w.dSkip[c] * u[s * e + c] * gate;
            }
        }
        MatVec.applyT(w.outProjT, dm, e, attnC, 0, e, len, attnR, 0, dm);
        for (int s = 0; s < len; s++) {
            double sq = 0;
            for (int j = 0; j < dm; j++) sq += (double) attnR[s * dm + j] * attnR[s * dm + j];
            relevance[s] = (float) Math.sqrt(sq);
        }
        if (contrib != null) System.arraycopy(attnR, 0, contrib, 0, len * dm);
    }

    /** Intermediates of the last {@link #forward} call, copied out, for checking against reference vectors. */
    public Trace trace(int len) {
        int e = w.dInner;
        int n = w.dState;
        return new Trace(Arrays.copyOf(xz, len * 2 * e), Arrays.copyOf(u, len * e),
                Arrays.copyOf(delta, len * e), Arrays.copyOf(bMat, len * n),
                Arrays.copyOf(cMat, len * n), Arrays.copyOf(scanOut, len * e));
    }

    /** Token-major intermediates: xz [L][2E], u/delta/scanOut [L][E], B/C [L][N]. */
    public record Trace(float[] xz, float[] u, float[] delta, float[] b, float[] c, float[] scanOut) {}

    private void ensure(int len) {
        if (len <= capacity) return;
        int cap = Math.max(len, capacity * 2);
        int e = w.dInner;
        int n = w.dState;
        int r = w.dtRank;
        xz = new float[cap * 2 * e];
        ext = new float[(w.dConv - 1 + cap) * e];
        z = new float[cap * e];
        u = new float[cap * e];
        proj = new float[cap * (r + 2 * n)];
        dtLow = new float[cap * r];
        bMat = new float[cap * n];
        cMat = new float[cap * n];
        delta = new float[cap * e];
        scanOut = new float[cap * e];
        capacity = cap;
    }
}
