package io.vigil.lab.train;

import static io.vigil.spatiotemporal.ssm.Activations.dsilu;
import static io.vigil.spatiotemporal.ssm.Activations.sigmoid;
import static io.vigil.spatiotemporal.ssm.Activations.silu;
import static io.vigil.spatiotemporal.ssm.Activations.softplus;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A Mamba block (the equations of {@link io.vigil.spatiotemporal.ssm.MambaBlock}) in double precision with
 * reverse-mode gradients, over whole sequences that start from a zero state. With E = d_inner, N = d_state,
 * K = d_conv, R = dt_rank, for t = 0..L-1:
 *
 * <pre>
 * [xb_t ; z_t] = W_in · x_t                 xc_t = b_conv + Σ_j w_conv[·,j] ⊙ xb_{t-K+1+j}      u_t = SiLU(xc_t)
 * [dt_t ; B_t ; C_t] = W_x · u_t            Δ_t = softplus(W_dt · dt_t + b_dt)                  A = -exp(A_log)
 * h_t = exp(Δ_t A) ⊙ h_{t-1} + (Δ_t ⊙ u_t) B_tᵀ                                                  h_{-1} = 0
 * ys_t = h_t · C_t + D ⊙ u_t                o_t = ys_t ⊙ SiLU(z_t)                               y_t = W_out · o_t
 * </pre>
 *
 * Backward runs the same steps in reverse, the state's gradient flowing from h_t to h_{t-1} through exp(Δ_t A).
 */
public final class MambaLayerGrad {
    public final int dModel, dInner, dState, dConv, dtRank;
    public final Param inProj, convW, convB, xProj, dtW, dtB, aLog, dSkip, outProj;

    public MambaLayerGrad(String prefix, int dModel, int dState, int dConv, int expand) {
        this.dModel = dModel;
        this.dInner = expand * dModel;
        this.dState = dState;
        this.dConv = dConv;
        this.dtRank = (int) Math.ceil(dModel / 16.0);
        int e = dInner;
        inProj = new Param(prefix + "in_proj.weight", 2L * e, dModel);
        convW = new Param(prefix + "conv1d.weight", e, 1, dConv);
        convB = new Param(prefix + "conv1d.bias", e);
        xProj = new Param(prefix + "x_proj.weight", dtRank + 2L * dState, e);
        dtW = new Param(prefix + "dt_proj.weight", e, dtRank);
        dtB = new Param(prefix + "dt_proj.bias", e);
        aLog = new Param(prefix + "A_log", e, dState);
        dSkip = new Param(prefix + "D", e);
        outProj = new Param(prefix + "out_proj.weight", dModel, e);
    }

    public List<Param> params() {
        return List.of(inProj, convW, convB, xProj, dtW, dtB, aLog, dSkip, outProj);
    }

    /** The reference initialisation (as {@code MambaWeights.random}): S4D-real A, D = 1, log-uniform dt in [1e-3, 1e-1]. */
    public void init(Random rnd) {
        uniform(rnd, inProj.value, 1 / Math.sqrt(dModel));
        uniform(rnd, convW.value, 1 / Math.sqrt(dConv));
        uniform(rnd, convB.value, 1 / Math.sqrt(dConv));
        uniform(rnd, xProj.value, 1 / Math.sqrt(dInner));
        uniform(rnd, dtW.value, 1 / Math.sqrt(dtRank));
        for (int i = 0; i < dInner; i++) {
            double dt = Math.exp(rnd.nextDouble() * (Math.log(0.1) - Math.log(1e-3)) + Math.log(1e-3));
            dtB.value[i] = dt + Math.log(-Math.expm1(-dt));
        }
        for (int i = 0; i < dInner; i++) for (int n = 0; n < dState; n++) aLog.value[i * dState + n] = Math.log(n + 1);
        Arrays.fill(dSkip.value, 1);
        uniform(rnd, outProj.value, 1 / Math.sqrt(dInner));
    }

    static void uniform(Random rnd, double[] a, double bound) {
        for (int i = 0; i < a.length; i++) a[i] = (rnd.nextDouble() * 2 - 1) * bound;
    }

    /** What backward needs from forward, for one sequence. Reused across sequences (grown as needed). */
    public static final class Tape {
        int len;
        double[] x, xz, xc, u, proj, dpre, delta, h, ys, gate, o;
        // backward workspaces
        double[] dxz, du, dproj, ddelta, dh, dys, dtmp;

        void ensure(MambaLayerGrad m, int l) {
            int e = m.dInner, n = m.dState, p = m.dtRank + 2 * n, d = m.dModel;
            if (x != null && x.length >= l * d) return;
            x = new double[l * d];
            xz = new double[l * 2 * e];
            xc = new double[l * e];
            u = new double[l * e];
            proj = new double[l * p];
            dpre = new double[l * e];
            delta = new double[l * e];
            h = new double[l * e * n];
            ys = new double[l * e];
            gate = new double[l * e];
            o = new double[l * e];
            dxz = new double[l * 2 * e];
            du = new double[l * e];
            dproj = new double[l * p];
            ddelta = new double[l * e];
            dh = new double[e * n];
            dys = new double[l * e];
            dtmp = new double[l * e];
        }
    }

    /**
     * @param x [len][d_model]
     * @param y [len][d_model], written
     */
    public void forward(double[] x, int len, Tape tp, double[] y) {
        tp.ensure(this, len);
        tp.len = len;
        final int d = dModel, e = dInner, n = dState, k = dConv, r = dtRank, p = r + 2 * n;
        System.arraycopy(x, 0, tp.x, 0, len * d);
        double[] win = inProj.value, a = aLog.value;
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < 2 * e; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += win[i * d + j] * x[t * d + j];
                tp.xz[t * 2 * e + i] = s;
            }
        }
        for (int t = 0; t < len; t++) {
            for (int c = 0; c < e; c++) {
                double s = convB.value[c];
                for (int j = 0; j < k; j++) {
                    int src = t - (k - 1) + j;
                    if (src >= 0) s += convW.value[c * k + j] * tp.xz[src * 2 * e + c];
                }
                tp.xc[t * e + c] = s;
                tp.u[t * e + c] = silu(s);
            }
            for (int i = 0; i < p; i++) {
                double s = 0;
                for (int c = 0; c < e; c++) s += xProj.value[i * e + c] * tp.u[t * e + c];
                tp.proj[t * p + i] = s;
            }
            for (int c = 0; c < e; c++) {
                double s = dtB.value[c];
                for (int j = 0; j < r; j++) s += dtW.value[c * r + j] * tp.proj[t * p + j];
                tp.dpre[t * e + c] = s;
                tp.delta[t * e + c] = softplus(s);
            }
            for (int c = 0; c < e; c++) {
                double dt = tp.delta[t * e + c], ut = tp.u[t * e + c];
                double acc = 0;
                for (int m = 0; m < n; m++) {
                    int cm = c * n + m;
                    double prev = t == 0 ? 0 : tp.h[((t - 1) * e) * n + cm];
                    double hv = Math.exp(-dt * Math.exp(a[cm])) * prev + dt * tp.proj[t * p + r + m] * ut;
                    tp.h[(t * e) * n + cm] = hv;
                    acc += tp.proj[t * p + r + n + m] * hv;
                }
                double ysv = acc + dSkip.value[c] * ut;
                tp.ys[t * e + c] = ysv;
                double g = silu(tp.xz[t * 2 * e + e + c]);
                tp.gate[t * e + c] = g;
                tp.o[t * e + c] = ysv * g;
            }
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int c = 0; c < e; c++) s += outProj.value[i * e + c] * tp.o[t * e + c];
                y[t * d + i] = s;
            }
        }
    }

    /**
     * Accumulates the parameter gradients of the last {@link #forward} on this tape and writes dL/dx.
     *
     * @param dy [len][d_model]
     * @param dx [len][d_model], written
     */
    public void backward(Tape tp, double[] dy, double[] dx) {
        final int len = tp.len, d = dModel, e = dInner, n = dState, k = dConv, r = dtRank, p = r + 2 * n;
        double[] a = aLog.value;
        Arrays.fill(tp.dxz, 0, len * 2 * e, 0);
        Arrays.fill(tp.du, 0, len * e, 0);
        Arrays.fill(tp.dproj, 0, len * p, 0);
        Arrays.fill(tp.dh, 0, e * n, 0);
        // y = W_out o, o = ys ⊙ g, g = SiLU(z)
        for (int t = 0; t < len; t++) {
            for (int c = 0; c < e; c++) {
                double dO = 0;
                for (int i = 0; i < d; i++) {
                    dO += outProj.value[i * e + c] * dy[t * d + i];
                    outProj.grad[i * e + c] += dy[t * d + i] * tp.o[t * e + c];
                }
                double g = tp.gate[t * e + c];
                tp.dys[t * e + c] = dO * g;
                double z = tp.xz[t * 2 * e + e + c];
                tp.dxz[t * 2 * e + e + c] = dO * tp.ys[t * e + c] * dsilu(z);
            }
        }
        // the scan, backwards in time
        for (int t = len - 1; t >= 0; t--) {
            for (int c = 0; c < e; c++) {
                double dysv = tp.dys[t * e + c], dt = tp.delta[t * e + c], ut = tp.u[t * e + c];
                dSkip.grad[c] += dysv * ut;
                double du = dysv * dSkip.value[c];
                double dDelta = 0;
                for (int m = 0; m < n; m++) {
                    int cm = c * n + m;
                    double hv = tp.h[(t * e) * n + cm];
                    double cv = tp.proj[t * p + r + n + m];
                    double bv = tp.proj[t * p + r + m];
                    tp.dproj[t * p + r + n + m] += dysv * hv;                 // dC
                    double dhv = tp.dh[cm] + dysv * cv;
                    double aa = -Math.exp(a[cm]);
                    double decay = Math.exp(dt * aa);
                    double prev = t == 0 ? 0 : tp.h[((t - 1) * e) * n + cm];
                    dDelta += dhv * (aa * decay * prev + bv * ut);
                    aLog.grad[cm] += dhv * dt * decay * prev * aa;           // dA · dA/dA_log, A = -exp(A_log)
                    tp.dproj[t * p + r + m] += dhv * dt * ut;                 // dB
                    du += dhv * dt * bv;
                    tp.dh[cm] = dhv * decay;                                  // to h_{t-1}
                }
                tp.du[t * e + c] += du;
                tp.ddelta[t * e + c] = dDelta * sigmoid(tp.dpre[t * e + c]);  // through softplus
            }
        }
        for (int t = 0; t < len; t++) {
            // Δ = softplus(W_dt dt + b_dt)
            for (int c = 0; c < e; c++) {
                double g = tp.ddelta[t * e + c];
                dtB.grad[c] += g;
                for (int j = 0; j < r; j++) {
                    dtW.grad[c * r + j] += g * tp.proj[t * p + j];
                    tp.dproj[t * p + j] += g * dtW.value[c * r + j];
                }
            }
            // [dt; B; C] = W_x u
            for (int i = 0; i < p; i++) {
                double g = tp.dproj[t * p + i];
                if (g == 0) continue;
                for (int c = 0; c < e; c++) {
                    xProj.grad[i * e + c] += g * tp.u[t * e + c];
                    tp.du[t * e + c] += g * xProj.value[i * e + c];
                }
            }
            // u = SiLU(xc); the causal conv over the x branch
            for (int c = 0; c < e; c++) {
                double dxc = tp.du[t * e + c] * dsilu(tp.xc[t * e + c]);
                convB.grad[c] += dxc;
                for (int j = 0; j < k; j++) {
                    int src = t - (k - 1) + j;
                    if (src < 0) continue;
                    convW.grad[c * k + j] += dxc * tp.xz[src * 2 * e + c];
                    tp.dxz[src * 2 * e + c] += dxc * convW.value[c * k + j];
                }
            }
        }
        // [xb; z] = W_in x
        for (int t = 0; t < len; t++) {
            for (int j = 0; j < d; j++) dx[t * d + j] = 0;
            for (int i = 0; i < 2 * e; i++) {
                double g = tp.dxz[t * 2 * e + i];
                if (g == 0) continue;
                for (int j = 0; j < d; j++) {
                    inProj.grad[i * d + j] += g * tp.x[t * d + j];
                    dx[t * d + j] += g * inProj.value[i * d + j];
                }
            }
        }
    }

}
