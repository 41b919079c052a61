package io.vigil.lab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The streaming trajectory classifier, for training: double precision, whole sequences from a zero state, with
 * reverse-mode gradients. The same network runs in float32, one step per point, as
 * {@link io.vigil.spatiotemporal.model.TrajectoryModel}.
 *
 * <pre>
 * x_t    = W_e · (s ⊙ Δp_t) + b_e                        Δp_t: the point's displacement since the previous one, s: input scale
 * x     += Mamba_l(RMSNorm(x) ⊙ w_l)                      for each layer l (residual)
 * logits_t = W_h · (RMSNorm(x_t) ⊙ w_f) + b_h            class scores at every step
 * loss   = Σ_t m_t · CE(softmax(logits_t), label) / Σ_t m_t
 * </pre>
 */
public final class TrajectoryNet {
    static final double EPS = 1e-5;
    public final int inputs, dModel, layers, classes;
    public final Param embedW, embedB, normF, headW, headB;
    public final Param[] norms;
    public final MambaLayerGrad[] blocks;
    private final List<Param> params = new ArrayList<>();

    public TrajectoryNet(int inputs, int dModel, int layers, int dState, int dConv, int expand, int classes) {
        this.inputs = inputs;
        this.dModel = dModel;
        this.layers = layers;
        this.classes = classes;
        embedW = new Param("embed.weight", dModel, inputs);
        embedB = new Param("embed.bias", dModel);
        norms = new Param[layers];
        blocks = new MambaLayerGrad[layers];
        params.add(embedW);
        params.add(embedB);
        for (int l = 0; l < layers; l++) {
            norms[l] = new Param("layers." + l + ".norm.weight", dModel);
            blocks[l] = new MambaLayerGrad("layers." + l + ".mixer.", dModel, dState, dConv, expand);
            params.add(norms[l]);
            params.addAll(blocks[l].params());
        }
        normF = new Param("norm_f.weight", dModel);
        headW = new Param("head.weight", classes, dModel);
        headB = new Param("head.bias", classes);
        params.add(normF);
        params.add(headW);
        params.add(headB);
    }

    public List<Param> params() {
        return params;
    }

    public void init(long seed) {
        Random rnd = new Random(seed);
        MambaLayerGrad.uniform(rnd, embedW.value, 1 / Math.sqrt(inputs));
        MambaLayerGrad.uniform(rnd, embedB.value, 1 / Math.sqrt(inputs));
        for (int l = 0; l < layers; l++) {
            Arrays.fill(norms[l].value, 1);
            blocks[l].init(rnd);
        }
        Arrays.fill(normF.value, 1);
        MambaLayerGrad.uniform(rnd, headW.value, 1 / Math.sqrt(dModel));
        Arrays.fill(headB.value, 0);
    }

    public void zeroGrad() {
        for (Param p : params) p.zeroGrad();
    }

    /** Activations of one sequence, kept for backward; reused across sequences. */
    public final class Tape {
        int len;
        double[] in;
        double[][] xs;       // [layers+1][L][D]: the residual stream before each layer, then after the last
        double[][] normed;   // [layers][L][D]
        double[][] rms;      // [layers][L]
        final MambaLayerGrad.Tape[] blockTapes = new MambaLayerGrad.Tape[layers];
        double[] fin, finRms, logits, probs;
        double[] dx, dn, dy, dtmp, dLogitsBuf;

        Tape() {
            for (int l = 0; l < layers; l++) blockTapes[l] = new MambaLayerGrad.Tape();
        }

        void ensure(int l) {
            if (in != null && in.length >= l * inputs) return;
            in = new double[l * inputs];
            xs = new double[layers + 1][l * dModel];
            normed = new double[layers][l * dModel];
            rms = new double[layers][l];
            fin = new double[l * dModel];
            finRms = new double[l];
            logits = new double[l * classes];
            probs = new double[l * classes];
            dx = new double[l * dModel];
            dn = new double[l * dModel];
            dy = new double[l * dModel];
            dtmp = new double[l * dModel];
            dLogitsBuf = new double[l * classes];
        }

        double[] dLogits() {
            return dLogitsBuf;
        }

        /** Class probabilities at step t, after {@link #forward}. */
        public double prob(int t, int c) {
            return probs[t * classes + c];
        }

        public int length() {
            return len;
        }
    }

    public Tape newTape() {
        return new Tape();
    }

    /**
     * @param in [len][inputs], already scaled
     */
    public void forward(double[] in, int len, Tape tp) {
        tp.ensure(len);
        tp.len = len;
        int d = dModel;
        System.arraycopy(in, 0, tp.in, 0, len * inputs);
        double[] x0 = tp.xs[0];
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < d; i++) {
                double s = embedB.value[i];
                for (int j = 0; j < inputs; j++) s += embedW.value[i * inputs + j] * in[t * inputs + j];
                x0[t * d + i] = s;
            }
        }
        for (int l = 0; l < layers; l++) {
            rmsNorm(tp.xs[l], norms[l].value, tp.normed[l], tp.rms[l], len, d);
            blocks[l].forward(tp.normed[l], len, tp.blockTapes[l], tp.dy);
            for (int i = 0; i < len * d; i++) tp.xs[l + 1][i] = tp.xs[l][i] + tp.dy[i];
        }
        rmsNorm(tp.xs[layers], normF.value, tp.fin, tp.finRms, len, d);
        for (int t = 0; t < len; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = headB.value[c];
                for (int i = 0; i < d; i++) s += headW.value[c * d + i] * tp.fin[t * d + i];
                tp.logits[t * classes + c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += tp.probs[t * classes + c] = Math.exp(tp.logits[t * classes + c] - max);
            for (int c = 0; c < classes; c++) tp.probs[t * classes + c] /= sum;
        }
    }

    /** The weighted mean cross-entropy of the last forward against one label for the whole sequence. */
    public double loss(Tape tp, int label, double[] stepWeights) {
        double l = 0, w = 0;
        for (int t = 0; t < tp.len; t++) {
            if (stepWeights[t] == 0) continue;
            l -= stepWeights[t] * Math.log(Math.max(1e-300, tp.probs[t * classes + label]));
            w += stepWeights[t];
        }
        return l / w;
    }

    /**
     * Accumulates d(loss)/d(params) of the last forward; {@code dIn} (optional, [len][inputs]) gets d(loss)/d(input).
     */
    public void backward(Tape tp, int label, double[] stepWeights, double[] dIn) {
        int len = tp.len;
        double wsum = 0;
        for (int t = 0; t < len; t++) wsum += stepWeights[t];
        // head: dlogits = m_t (p - onehot) / Σm
        double[] dLogits = tp.dLogits();
        for (int t = 0; t < len; t++) {
            double m = stepWeights[t] / wsum;
            for (int c = 0; c < classes; c++) dLogits[t * classes + c] = m == 0 ? 0 : m * (tp.probs[t * classes + c] - (c == label ? 1 : 0));
        }
        backwardFromLogits(tp, dLogits, dIn);
    }

    /**
     * The network as a regressor: the outputs ({@code logits}, no softmax) against {@code targets} [len][classes], mean
     * squared error over the outputs of the steps with weight, weighted by {@code stepWeights}.
     */
    public double mseLoss(Tape tp, double[] targets, double[] stepWeights) {
        double l = 0, w = 0;
        for (int t = 0; t < tp.len; t++) {
            if (stepWeights[t] == 0) continue;
            double e = 0;
            for (int c = 0; c < classes; c++) {
                double d = tp.logits[t * classes + c] - targets[t * classes + c];
                e += d * d;
            }
            l += stepWeights[t] * e / classes;
            w += stepWeights[t];
        }
        return w == 0 ? 0 : l / w;
    }

    /** Accumulates d({@link #mseLoss})/d(params); {@code dIn} (optional) gets d(loss)/d(input). */
    public void mseBackward(Tape tp, double[] targets, double[] stepWeights, double[] dIn) {
        int len = tp.len;
        double wsum = 0;
        for (int t = 0; t < len; t++) wsum += stepWeights[t];
        double[] dLogits = tp.dLogits();
        for (int t = 0; t < len; t++) {
            double m = wsum == 0 ? 0 : stepWeights[t] / wsum;
            for (int c = 0; c < classes; c++) {
                dLogits[t * classes + c] = m == 0 ? 0 : m * 2 * (tp.logits[t * classes + c] - targets[t * classes + c]) / classes;
            }
        }
        backwardFromLogits(tp, dLogits, dIn);
    }

    /** The outputs at step t (regression: the logits as they are), after {@link #forward}. */
    public double output(Tape tp, int t, int c) {
        return tp.logits[t * classes + c];
    }

    private void backwardFromLogits(Tape tp, double[] dLogits, double[] dIn) {
        int len = tp.len, d = dModel;
        Arrays.fill(tp.dn, 0, len * d, 0);
        for (int t = 0; t < len; t++) {
            for (int c = 0; c < classes; c++) {
                double g = dLogits[t * classes + c];
                if (g == 0) continue;
                headB.grad[c] += g;
                for (int i = 0; i < d; i++) {
                    headW.grad[c * d + i] += g * tp.fin[t * d + i];
                    tp.dn[t * d + i] += g * headW.value[c * d + i];
                }
            }
        }
        rmsNormBackward(tp.xs[layers], normF, tp.fin, tp.finRms, tp.dn, tp.dx, len, d);
        for (int l = layers - 1; l >= 0; l--) {
            // x_{l+1} = x_l + block(norm(x_l)): dx flows straight through and through the block
            blocks[l].backward(tp.blockTapes[l], tp.dx, tp.dn);
            rmsNormBackward(tp.xs[l], norms[l], tp.normed[l], tp.rms[l], tp.dn, tp.dtmp, len, d);
            for (int i = 0; i < len * d; i++) tp.dx[i] += tp.dtmp[i];
        }
        for (int t = 0; t < len; t++) {
            for (int i = 0; i < d; i++) {
                double g = tp.dx[t * d + i];
                embedB.grad[i] += g;
                for (int j = 0; j < inputs; j++) embedW.grad[i * inputs + j] += g * tp.in[t * inputs + j];
            }
        }
        if (dIn != null) {
            for (int t = 0; t < len; t++) {
                for (int j = 0; j < inputs; j++) {
                    double s = 0;
                    for (int i = 0; i < d; i++) s += tp.dx[t * d + i] * embedW.value[i * inputs + j];
                    dIn[t * inputs + j] = s;
                }
            }
        }
    }

    static void rmsNorm(double[] x, double[] w, double[] out, double[] rms, int len, int d) {
        for (int t = 0; t < len; t++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x[t * d + i] * x[t * d + i];
            double r = Math.sqrt(ss / d + EPS);
            rms[t] = r;
            for (int i = 0; i < d; i++) out[t * d + i] = x[t * d + i] / r * w[i];
        }
    }

    /** out = x / rms ⊙ w: dw += dout ⊙ x/rms; dx = (w ⊙ dout - x̂ · mean(w ⊙ dout ⊙ x̂)) / rms, x̂ = x / rms. */
    static void rmsNormBackward(double[] x, Param w, double[] out, double[] rms, double[] dout, double[] dx, int len, int d) {
        for (int t = 0; t < len; t++) {
            double r = rms[t];
            double dot = 0;
            for (int i = 0; i < d; i++) {
                double xh = x[t * d + i] / r;
                w.grad[i] += dout[t * d + i] * xh;
                dot += w.value[i] * dout[t * d + i] * xh;
            }
            dot /= d;
            for (int i = 0; i < d; i++) {
                double xh = x[t * d + i] / r;
                dx[t * d + i] = (w.value[i] * dout[t * d + i] - xh * dot) / r;
            }
        }
    }
}
