package io.vigil.spatiotemporal.model;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.io.Tensor;
import io.vigil.spatiotemporal.scan.ScanDirection;
import io.vigil.spatiotemporal.scan.ScanPaths;
import io.vigil.spatiotemporal.scan.ScanPlan;
import io.vigil.spatiotemporal.ssm.MambaBlock;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import io.vigil.spatiotemporal.ssm.MatVec;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernel;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack of Mamba layers over the patch tokens of each video frame, streaming: one {@link #step} per frame
 * from the stream's {@link StreamState}, at a cost that does not depend on how many frames came before.
 *
 * <pre>
 * x      = patch_embed · patches(frame) + bias                      [T][d_model], T = (H/p)·(W/p), grid order
 * for each layer l:
 *   xn   = RMSNorm(x) ⊙ layers.l.norm.weight
 *   x   += mean over the plan's directions d of scatter_d(Mamba_{l,d}(gather_d(xn)))
 * out    = mean_t (RMSNorm(x) ⊙ norm_f.weight)                       [d_model], the frame's vector
 * </pre>
 *
 * The plan's carried direction runs from the stream's state for that layer and leaves it there; the other
 * directions (reverse, columns, coarse scales) see the whole frame and start from zero in every frame.
 * Not thread-safe (it owns workspaces); share the weights, not the instance.
 */
public final class SpatiotemporalModel {
    private static final float EPS = 1e-5f;

    private final SpatiotemporalConfig cfg;
    private final ScanPlan plan;
    private final float[] patchW;      // [d_model][C·p·p]
    private final float[] patchWT;     // [C·p·p][d_model], for MatVec.applyT
    private final float[] patchB;      // [d_model]
    private final float[][] normW;     // [layers][d_model]
    private final float[] normF;       // [d_model]
    private final MambaBlock[][] blocks; // [layers][directions]
    private final MambaState[] scratch;  // per direction: zero-started state of non-carried directions
    private final float[] patches;     // [T][C·p·p]
    private final float[] x;           // [T][d_model] residual stream
    private final float[] xn;          // [T][d_model]
    private final float[] acc;         // [T][d_model]
    private final float[] seq;         // [T][d_model]
    private final float[] out;         // [T][d_model]
    private final int[][] seqIndexOfPatch; // [directions][T]: sequence position of each patch's coarse cell
    private final float[][] poolScale;     // [directions][cells]: 1 / patches pooled into the cell
    private float[] saliencyRel;           // [carried direction length], made on first saliency()

    private SpatiotemporalModel(SpatiotemporalConfig cfg, float[] patchW, float[] patchB, float[][] normW, float[] normF,
                                MambaWeights[][] weights, String kernel) {
        this.cfg = cfg;
        this.plan = ScanPaths.create(cfg.path(), cfg.rows(), cfg.cols(), cfg.window(), cfg.step());
        this.patchW = patchW;
        this.patchWT = MatVec.transpose(patchW, cfg.dModel(), cfg.channels() * cfg.patch() * cfg.patch());
        this.patchB = patchB;
        this.normW = normW;
        this.normF = normF;
        int dirs = plan.directions().size();
        blocks = new MambaBlock[cfg.layers()][dirs];
        for (int l = 0; l < cfg.layers(); l++) {
            for (int d = 0; d < dirs; d++) {
                SelectiveScanKernel k = kernel == null ? SelectiveScanKernels.create() : SelectiveScanKernels.create(kernel);
                blocks[l][d] = new MambaBlock(weights[l][d], k);
            }
        }
        scratch = new MambaState[dirs];
        for (int d = 0; d < dirs; d++) scratch[d] = blocks[0][d].newState();
        int t = cfg.tokens();
        int dm = cfg.dModel();
        patches = new float[t * cfg.channels() * cfg.patch() * cfg.patch()];
        x = new float[t * dm];
        xn = new float[t * dm];
        acc = new float[t * dm];
        seq = new float[t * dm];
        out = new float[t * dm];
        seqIndexOfPatch = new int[dirs][];
        poolScale = new float[dirs][];
        for (int d = 0; d < dirs; d++) {
            ScanDirection dir = plan.directions().get(d);
            if (dir.scale() == 1) continue;
            int[] pos = new int[dir.length()];
            for (int i = 0; i < dir.length(); i++) pos[dir.order()[i]] = i;
            int[] of = new int[t];
            float[] count = new float[dir.length()];
            for (int g = 0; g < t; g++) {
                of[g] = pos[(g / cfg.cols() / dir.scale()) * dir.cols() + (g % cfg.cols()) / dir.scale()];
                count[of[g]]++;
            }
            for (int i = 0; i < count.length; i++) count[i] = 1f / count[i];
            seqIndexOfPatch[d] = of;
            poolScale[d] = count;
        }
    }

    public SpatiotemporalConfig config() {
        return cfg;
    }

    public ScanPlan plan() {
        return plan;
    }

    public StreamState newState() {
        List<MambaState> layers = new ArrayList<>();
        for (int l = 0; l < cfg.layers(); l++) layers.add(blocks[l][plan.carried()].newState());
        return new StreamState(layers);
    }

    /**
     * Runs one frame.
     *
     * @param frame  [C][H][W] floats, the model's input normalisation already applied
     * @param state  the stream's state: read, then advanced past this frame
     * @param result [d_model]: the frame's pooled output vector
     */
    public void step(float[] frame, StreamState state, float[] result) {
        int c = cfg.channels(), h = cfg.height(), w = cfg.width(), p = cfg.patch();
        if (frame.length != c * h * w) throw new IllegalArgumentException("frame has " + frame.length + " floats, expected " + c + "x" + h + "x" + w);
        int t = cfg.tokens();
        int dm = cfg.dModel();
        int pl = c * p * p;
        int cols = cfg.cols();
        for (int g = 0; g < t; g++) {
            int pr = g / cols, pc = g % cols;
            int o = g * pl;
            for (int ch = 0; ch < c; ch++) {
                for (int yy = 0; yy < p; yy++) {
                    System.arraycopy(frame, (ch * h + pr * p + yy) * w + pc * p, patches, o, p);
                    o += p;
                }
            }
        }
        MatVec.applyT(patchWT, dm, pl, patches, 0, pl, t, x, 0, dm);
        for (int g = 0; g < t; g++) for (int j = 0; j < dm; j++) x[g * dm + j] += patchB[j];

        List<ScanDirection> dirs = plan.directions();
        float inv = 1f / dirs.size();
        for (int l = 0; l < cfg.layers(); l++) {
            rmsNorm(x, normW[l], xn, t, dm);
            java.util.Arrays.fill(acc, 0f);
            for (int d = 0; d < dirs.size(); d++) {
                ScanDirection dir = dirs.get(d);
                MambaState st;
                if (d == plan.carried()) {
                    st = state.layer(l);
                } else {
                    st = scratch[d];
                    st.reset();
                }
                int len = dir.length();
                if (dir.scale() == 1) {
                    for (int i = 0; i < len; i++) System.arraycopy(xn, dir.order()[i] * dm, seq, i * dm, dm);
                    blocks[l][d].forward(seq, len, st, out);
                    for (int i = 0; i < len; i++) {
                        int dst = dir.order()[i] * dm;
                        for (int j = 0; j < dm; j++) acc[dst + j] += out[i * dm + j];
                    }
                } else {
                    pool(d, dir, dm);
                    blocks[l][d].forward(seq, len, st, out);
                    unpool(d, dm);
                }
            }
            for (int i = 0; i < t * dm; i++) x[i] += acc[i] * inv;
        }
        rmsNorm(x, normF, xn, t, dm);
        java.util.Arrays.fill(result, 0, dm, 0f);
        for (int g = 0; g < t; g++) for (int j = 0; j < dm; j++) result[j] += xn[g * dm + j];
        for (int j = 0; j < dm; j++) result[j] /= t;
        state.advance();
    }

    /**
     * Which patches drove the last {@link #step}'s output: the implicit attention
     * ({@link MambaBlock#implicitAttention}) of the first layer's carried scan, mapped from scan positions back to
     * the patch grid. Later layers mix tokens, so this is the first scan's view, the one closest to the pixels.
     *
     * @param perPatch [rows·cols] in grid order, written: ‖contribution‖ of each patch (a pooled cell's value goes to
     *                 each of its patches)
     */
    public void saliency(float[] perPatch) {
        int d = plan.carried();
        ScanDirection dir = plan.directions().get(d);
        int len = dir.length();
        if (saliencyRel == null) saliencyRel = new float[len];
        blocks[0][d].implicitAttention(len, saliencyRel, null);
        int t = cfg.tokens();
        if (dir.scale() == 1) {
            for (int i = 0; i < len; i++) perPatch[dir.order()[i]] = saliencyRel[i];
        } else {
            for (int g = 0; g < t; g++) perPatch[g] = saliencyRel[seqIndexOfPatch[d][g]];
        }
    }

    /** Runs each stream's sequences through this model's own Java blocks. */
    public SequenceRunner javaRunner() {
        return (layer, direction, seqs, len, states, outs) -> {
            for (int b = 0; b < seqs.length; b++) blocks[layer][direction].forward(seqs[b], len, states[b], outs[b]);
        };
    }

    /**
     * One frame for each of several streams, with the block work done by {@code runner} (e.g. batched through
     * ONNX Runtime). Same math as {@link #step}; each stream's carried state advances as if stepped alone.
     *
     * @param frames  [streams][C·H·W]
     * @param states  [streams], one per stream, all distinct
     * @param results [streams][d_model]
     */
    public void stepBatch(float[][] frames, StreamState[] states, float[][] results, SequenceRunner runner) {
        int n = frames.length;
        int t = cfg.tokens();
        int dm = cfg.dModel();
        int c = cfg.channels(), h = cfg.height(), w = cfg.width(), p = cfg.patch();
        int pl = c * p * p;
        int cols = cfg.cols();
        float[][] xs = new float[n][t * dm];
        float[][] xns = new float[n][t * dm];
        float[][] accs = new float[n][t * dm];
        float[] patch = new float[t * pl];
        for (int b = 0; b < n; b++) {
            if (frames[b].length != c * h * w) throw new IllegalArgumentException("frame " + b + " has " + frames[b].length + " floats");
            for (int g = 0; g < t; g++) {
                int pr = g / cols, pc = g % cols;
                int o = g * pl;
                for (int ch = 0; ch < c; ch++) {
                    for (int yy = 0; yy < p; yy++) {
                        System.arraycopy(frames[b], (ch * h + pr * p + yy) * w + pc * p, patch, o, p);
                        o += p;
                    }
                }
            }
            MatVec.applyT(patchWT, dm, pl, patch, 0, pl, t, xs[b], 0, dm);
            for (int g = 0; g < t; g++) for (int j = 0; j < dm; j++) xs[b][g * dm + j] += patchB[j];
        }
        List<ScanDirection> dirs = plan.directions();
        float inv = 1f / dirs.size();
        for (int l = 0; l < cfg.layers(); l++) {
            for (int b = 0; b < n; b++) {
                rmsNorm(xs[b], normW[l], xns[b], t, dm);
                java.util.Arrays.fill(accs[b], 0f);
            }
            for (int d = 0; d < dirs.size(); d++) {
                ScanDirection dir = dirs.get(d);
                int len = dir.length();
                float[][] seqs = new float[n][len * dm];
                float[][] outs = new float[n][len * dm];
                MambaState[] sts = new MambaState[n];
                for (int b = 0; b < n; b++) {
                    sts[b] = d == plan.carried() ? states[b].layer(l) : blocks[l][d].newState();
                    if (dir.scale() == 1) {
                        for (int i = 0; i < len; i++) System.arraycopy(xns[b], dir.order()[i] * dm, seqs[b], i * dm, dm);
                    } else {
                        int[] of = seqIndexOfPatch[d];
                        for (int g = 0; g < of.length; g++) for (int j = 0; j < dm; j++) seqs[b][of[g] * dm + j] += xns[b][g * dm + j];
                        for (int i = 0; i < len; i++) for (int j = 0; j < dm; j++) seqs[b][i * dm + j] *= poolScale[d][i];
                    }
                }
                runner.forward(l, d, seqs, len, sts, outs);
                for (int b = 0; b < n; b++) {
                    if (dir.scale() == 1) {
                        for (int i = 0; i < len; i++) {
                            int dst = dir.order()[i] * dm;
                            for (int j = 0; j < dm; j++) accs[b][dst + j] += outs[b][i * dm + j];
                        }
                    } else {
                        int[] of = seqIndexOfPatch[d];
                        for (int g = 0; g < of.length; g++) for (int j = 0; j < dm; j++) accs[b][g * dm + j] += outs[b][of[g] * dm + j];
                    }
                }
            }
            for (int b = 0; b < n; b++) for (int i = 0; i < t * dm; i++) xs[b][i] += accs[b][i] * inv;
        }
        for (int b = 0; b < n; b++) {
            rmsNorm(xs[b], normF, xns[b], t, dm);
            java.util.Arrays.fill(results[b], 0, dm, 0f);
            for (int g = 0; g < t; g++) for (int j = 0; j < dm; j++) results[b][j] += xns[b][g * dm + j];
            for (int j = 0; j < dm; j++) results[b][j] /= t;
            states[b].advance();
        }
    }

    /** The block weights of (layer, direction), e.g. to export its step graph. */
    public io.vigil.spatiotemporal.ssm.MambaWeights blockWeights(int layer, int direction) {
        return blocks[layer][direction].weights();
    }

    /** seq[i] = mean of xn over the patches of coarse cell order[i]. */
    private void pool(int d, ScanDirection dir, int dm) {
        int[] seqOf = seqIndexOfPatch[d];
        float[] inv = poolScale[d];
        java.util.Arrays.fill(seq, 0, dir.length() * dm, 0f);
        for (int g = 0; g < seqOf.length; g++) {
            int i = seqOf[g];
            for (int j = 0; j < dm; j++) seq[i * dm + j] += xn[g * dm + j];
        }
        for (int i = 0; i < dir.length(); i++) {
            for (int j = 0; j < dm; j++) seq[i * dm + j] *= inv[i];
        }
    }

    /** acc[patch] += out[i] for every patch of coarse cell order[i]. */
    private void unpool(int d, int dm) {
        int[] seqOf = seqIndexOfPatch[d];
        for (int g = 0; g < seqOf.length; g++) {
            int i = seqOf[g];
            for (int j = 0; j < dm; j++) acc[g * dm + j] += out[i * dm + j];
        }
    }

    private static void rmsNorm(float[] in, float[] weight, float[] dst, int t, int dm) {
        for (int g = 0; g < t; g++) {
            double ss = 0;
            for (int j = 0; j < dm; j++) {
                float v = in[g * dm + j];
                ss += v * v;
            }
            float r = (float) (1.0 / Math.sqrt(ss / dm + EPS));
            for (int j = 0; j < dm; j++) dst[g * dm + j] = in[g * dm + j] * r * weight[j];
        }
    }

    // ---- weights -------------------------------------------------------------------------------------------

    /**
     * Random weights with the reference initialisation: a TEST AND BENCHMARK FIXTURE, never an action model.
     */
    public static SpatiotemporalModel random(SpatiotemporalConfig cfg, long seed, String kernel) {
        java.util.Random rnd = new java.util.Random(seed);
        int pl = cfg.channels() * cfg.patch() * cfg.patch();
        float[] pw = new float[cfg.dModel() * pl];
        double bound = 1 / Math.sqrt(pl);
        for (int i = 0; i < pw.length; i++) pw[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        float[] pb = new float[cfg.dModel()];
        for (int i = 0; i < pb.length; i++) pb[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        int dirs = ScanPaths.create(cfg.path(), cfg.rows(), cfg.cols(), cfg.window(), cfg.step()).directions().size();
        float[][] norms = new float[cfg.layers()][cfg.dModel()];
        for (float[] n : norms) java.util.Arrays.fill(n, 1f);
        float[] nf = new float[cfg.dModel()];
        java.util.Arrays.fill(nf, 1f);
        MambaWeights[][] mw = new MambaWeights[cfg.layers()][dirs];
        for (int l = 0; l < cfg.layers(); l++) {
            for (int d = 0; d < dirs; d++) mw[l][d] = MambaWeights.random(cfg.dModel(), cfg.dState(), cfg.dConv(), cfg.expand(), rnd.nextLong());
        }
        return new SpatiotemporalModel(cfg, pw, pb, norms, nf, mw, kernel);
    }

    /** A model whose layers all use the same block weights in every direction (e.g. one reference checkpoint). */
    public static SpatiotemporalModel withBlock(SpatiotemporalConfig cfg, MambaWeights block, float[] patchW, float[] patchB, String kernel) {
        int dirs = ScanPaths.create(cfg.path(), cfg.rows(), cfg.cols(), cfg.window(), cfg.step()).directions().size();
        MambaWeights[][] mw = new MambaWeights[cfg.layers()][dirs];
        for (MambaWeights[] row : mw) java.util.Arrays.fill(row, block);
        float[][] norms = new float[cfg.layers()][cfg.dModel()];
        for (float[] n : norms) java.util.Arrays.fill(n, 1f);
        float[] nf = new float[cfg.dModel()];
        java.util.Arrays.fill(nf, 1f);
        return new SpatiotemporalModel(cfg, patchW, patchB, norms, nf, mw, kernel);
    }

    public static SpatiotemporalModel load(Path file, String kernel) {
        SafeTensors st = SafeTensors.read(file);
        Map<String, String> m = st.metadata();
        SpatiotemporalConfig cfg;
        try {
            cfg = new SpatiotemporalConfig(i(m, "channels"), i(m, "height"), i(m, "width"), i(m, "patch"), i(m, "d_model"),
                    i(m, "d_state"), i(m, "d_conv"), i(m, "expand"), i(m, "layers"), req(m, "path"), i(m, "window"), i(m, "step"));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": " + e.getMessage());
        }
        int dirs = ScanPaths.create(cfg.path(), cfg.rows(), cfg.cols(), cfg.window(), cfg.step()).directions().size();
        int pl = cfg.channels() * cfg.patch() * cfg.patch();
        float[] pw = floats(st, "patch_embed.weight", cfg.dModel() * pl);
        float[] pb = floats(st, "patch_embed.bias", cfg.dModel());
        float[][] norms = new float[cfg.layers()][];
        MambaWeights[][] mw = new MambaWeights[cfg.layers()][dirs];
        for (int l = 0; l < cfg.layers(); l++) {
            norms[l] = floats(st, "layers." + l + ".norm.weight", cfg.dModel());
            for (int d = 0; d < dirs; d++) {
                MambaWeights w = MambaWeights.from(st, "layers." + l + ".dirs." + d + ".");
                if (w.dModel != cfg.dModel() || w.dState != cfg.dState() || w.dConv != cfg.dConv() || w.dInner != cfg.expand() * cfg.dModel()) {
                    throw new SafeTensorsException(file + ": layers." + l + ".dirs." + d + " has d_model " + w.dModel + ", d_state " + w.dState
                            + ", d_conv " + w.dConv + ", d_inner " + w.dInner + "; the metadata says " + cfg);
                }
                mw[l][d] = w;
            }
        }
        float[] nf = floats(st, "norm_f.weight", cfg.dModel());
        return new SpatiotemporalModel(cfg, pw, pb, norms, nf, mw, kernel);
    }

    public void save(Path file) {
        List<Tensor> ts = new ArrayList<>();
        int pl = cfg.channels() * cfg.patch() * cfg.patch();
        ts.add(Tensor.f32("patch_embed.weight", new long[] {cfg.dModel(), pl}, patchW));
        ts.add(Tensor.f32("patch_embed.bias", new long[] {cfg.dModel()}, patchB));
        for (int l = 0; l < cfg.layers(); l++) {
            ts.add(Tensor.f32("layers." + l + ".norm.weight", new long[] {cfg.dModel()}, normW[l]));
            for (int d = 0; d < blocks[l].length; d++) ts.addAll(blocks[l][d].weights().toTensors("layers." + l + ".dirs." + d + "."));
        }
        ts.add(Tensor.f32("norm_f.weight", new long[] {cfg.dModel()}, normF));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "vigil-spatiotemporal/1");
        m.put("channels", "" + cfg.channels());
        m.put("height", "" + cfg.height());
        m.put("width", "" + cfg.width());
        m.put("patch", "" + cfg.patch());
        m.put("d_model", "" + cfg.dModel());
        m.put("d_state", "" + cfg.dState());
        m.put("d_conv", "" + cfg.dConv());
        m.put("expand", "" + cfg.expand());
        m.put("layers", "" + cfg.layers());
        m.put("path", cfg.path());
        m.put("window", "" + cfg.window());
        m.put("step", "" + cfg.step());
        SafeTensors.write(file, ts, m);
    }

    private static float[] floats(SafeTensors st, String name, int n) {
        if (!st.has(name)) throw new SafeTensorsException("weights: tensor " + name + " is missing");
        float[] f = st.get(name).floats();
        if (f == null || f.length != n) throw new SafeTensorsException("weights: tensor " + name + " has " + (f == null ? 0 : f.length) + " values, expected " + n);
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) throw new SafeTensorsException("weights: tensor " + name + " holds " + f[i] + " at flat index " + i);
        }
        return f;
    }

    private static int i(Map<String, String> m, String key) {
        try {
            return Integer.parseInt(req(m, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is not an integer: " + m.get(key));
        }
    }

    private static String req(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalArgumentException("metadata '" + key + "' is missing");
        return v;
    }
}
