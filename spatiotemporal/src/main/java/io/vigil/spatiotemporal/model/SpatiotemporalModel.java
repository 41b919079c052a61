package io.vigil.spatiotemporal.model;

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
import java.util.Arrays;
import java.util.List;

/**
 * A stack of Mamba layers over the patch tokens of each video frame, streaming: one step per frame from the stream's
 * {@link StreamState}, at a cost that does not depend on how many frames came before.
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
 *
 * <p>There is one forward pass, {@link #stepBatch}: one frame for each of several streams, with the Mamba blocks run by
 * a {@link SequenceRunner} (this model's Java blocks, or exported step graphs in ONNX Runtime). {@link #step} is its
 * batch of one. Workspaces are preallocated and grow once to the largest batch seen, so a step allocates nothing.
 * Not thread-safe (it owns workspaces); share the {@link SpatiotemporalWeights}, not the instance.
 */
public final class SpatiotemporalModel {
    private static final float EPS = 1e-5f;

    private final SpatiotemporalWeights weights;
    private final SpatiotemporalConfig cfg;
    private final ScanPlan plan;
    private final float[] patchWT;          // [C·p·p][d_model], for MatVec.applyT
    private final MambaBlock[][] blocks;    // [layers][directions]
    private final int[][] seqIndexOfPatch;  // [directions][T]: sequence position of each patch's coarse cell (scale > 1 only)
    private final float[][] poolScale;      // [directions][cells]: 1 / patches pooled into the cell
    private final float[] patches;          // [T][C·p·p], one stream at a time
    private final SequenceRunner javaRunner = this::forwardJava;
    // per-stream workspaces, [capacity][...]; grown by ensureCapacity
    private int capacity;
    private float[][] x;                    // [capacity][T·d_model] residual stream
    private float[][] xn;                   // [capacity][T·d_model]
    private float[][] acc;                  // [capacity][T·d_model]
    private float[][] seqs;                 // [capacity][T·d_model] gathered or pooled sequence of one direction
    private float[][] outs;                 // [capacity][T·d_model]
    private MambaState[][] scratch;         // [capacity][directions] zero-started states of the non-carried directions
    private MambaState[] runStates;         // [capacity] the states one runner call works on
    // the batch of one that step() hands to stepBatch
    private final float[][] oneFrame = new float[1][];
    private final StreamState[] oneState = new StreamState[1];
    private final float[][] oneResult = new float[1][];
    private float[] saliencyRel;            // [carried direction length], made on first saliency()

    public SpatiotemporalModel(SpatiotemporalWeights weights, String kernel) {
        this.weights = weights;
        this.cfg = weights.config();
        this.plan = ScanPaths.create(cfg.path(), cfg.rows(), cfg.cols(), cfg.window(), cfg.step());
        this.patchWT = MatVec.transpose(weights.patchW(), cfg.dModel(), cfg.channels() * cfg.patch() * cfg.patch());
        int dirs = plan.directions().size();
        blocks = new MambaBlock[cfg.layers()][dirs];
        for (int l = 0; l < cfg.layers(); l++) {
            for (int d = 0; d < dirs; d++) {
                SelectiveScanKernel k = kernel == null ? SelectiveScanKernels.create() : SelectiveScanKernels.create(kernel);
                blocks[l][d] = new MambaBlock(weights.blocks()[l][d], k);
            }
        }
        int t = cfg.tokens();
        patches = new float[t * cfg.channels() * cfg.patch() * cfg.patch()];
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
        ensureCapacity(1);
    }

    /** Random fixture weights (see {@link SpatiotemporalWeights#random}): tests and benchmarks only. */
    public static SpatiotemporalModel random(SpatiotemporalConfig cfg, long seed, String kernel) {
        return new SpatiotemporalModel(SpatiotemporalWeights.random(cfg, seed), kernel);
    }

    /** Every layer and direction with one block's weights (see {@link SpatiotemporalWeights#withBlock}). */
    public static SpatiotemporalModel withBlock(SpatiotemporalConfig cfg, MambaWeights block, float[] patchW, float[] patchB, String kernel) {
        return new SpatiotemporalModel(SpatiotemporalWeights.withBlock(cfg, block, patchW, patchB), kernel);
    }

    /** A model over the weights in {@code file} (see {@link SpatiotemporalWeights#load}). */
    public static SpatiotemporalModel load(Path file, String kernel) {
        return new SpatiotemporalModel(SpatiotemporalWeights.load(file), kernel);
    }

    public SpatiotemporalWeights weights() {
        return weights;
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

    /** The block weights of (layer, direction), e.g. to export its step graph. */
    public MambaWeights blockWeights(int layer, int direction) {
        return blocks[layer][direction].weights();
    }

    /** Runs each stream's sequence through this model's own Java blocks, stream by stream. */
    public SequenceRunner javaRunner() {
        return javaRunner;
    }

    /**
     * Runs one frame: {@link #stepBatch} with a batch of one and the Java blocks.
     *
     * @param frame  [C][H][W] floats, the model's input normalisation already applied
     * @param state  the stream's state: read, then advanced past this frame
     * @param result [d_model]: the frame's pooled output vector
     */
    public void step(float[] frame, StreamState state, float[] result) {
        oneFrame[0] = frame;
        oneState[0] = state;
        oneResult[0] = result;
        try {
            stepBatch(oneFrame, oneState, oneResult, 1, javaRunner);
        } finally {
            oneFrame[0] = null;
            oneState[0] = null;
            oneResult[0] = null;
        }
    }

    /** {@link #stepBatch(float[][], StreamState[], float[][], int, SequenceRunner)} over all of {@code frames}. */
    public void stepBatch(float[][] frames, StreamState[] states, float[][] results, SequenceRunner runner) {
        stepBatch(frames, states, results, frames.length, runner);
    }

    /**
     * One frame for each of {@code n} streams, with the block work done by {@code runner}. Each stream's carried state
     * advances exactly as if it were stepped alone (the Java runner gives bit-identical results).
     *
     * @param frames  [≥ n][C·H·W]
     * @param states  [≥ n], one per stream, all distinct
     * @param results [≥ n][d_model], written
     */
    public void stepBatch(float[][] frames, StreamState[] states, float[][] results, int n, SequenceRunner runner) {
        ensureCapacity(n);
        int t = cfg.tokens();
        int dm = cfg.dModel();
        for (int b = 0; b < n; b++) embedPatches(frames[b], b, x[b]);
        List<ScanDirection> dirs = plan.directions();
        float inv = 1f / dirs.size();
        for (int l = 0; l < cfg.layers(); l++) {
            for (int b = 0; b < n; b++) {
                rmsNorm(x[b], weights.normW()[l], xn[b], t, dm);
                Arrays.fill(acc[b], 0f);
            }
            for (int d = 0; d < dirs.size(); d++) {
                ScanDirection dir = dirs.get(d);
                for (int b = 0; b < n; b++) {
                    MambaState st;
                    if (d == plan.carried()) {
                        st = states[b].layer(l);
                    } else {
                        st = scratch[b][d];
                        st.reset();
                    }
                    runStates[b] = st;
                    if (dir.scale() == 1) gather(dir, xn[b], seqs[b], dm);
                    else pool(d, dir, xn[b], seqs[b], dm);
                }
                runner.forward(l, d, seqs, runStates, outs, n, dir.length());
                for (int b = 0; b < n; b++) {
                    if (dir.scale() == 1) scatterAdd(dir, outs[b], acc[b], dm);
                    else unpoolAdd(d, outs[b], acc[b], dm);
                }
            }
            for (int b = 0; b < n; b++) {
                float[] xb = x[b];
                float[] ab = acc[b];
                for (int i = 0; i < t * dm; i++) xb[i] += ab[i] * inv;
            }
        }
        for (int b = 0; b < n; b++) {
            rmsNorm(x[b], weights.normF(), xn[b], t, dm);
            float[] r = results[b];
            Arrays.fill(r, 0, dm, 0f);
            for (int g = 0; g < t; g++) for (int j = 0; j < dm; j++) r[j] += xn[b][g * dm + j];
            for (int j = 0; j < dm; j++) r[j] /= t;
            states[b].advance();
            runStates[b] = null;
        }
    }

    /**
     * Which patches drove the last {@link #step}'s output: the implicit attention
     * ({@link MambaBlock#implicitAttention}) of the first layer's carried scan, mapped from scan positions back to
     * the patch grid. Later layers mix tokens, so this is the first scan's view, the one closest to the pixels. Valid
     * after a {@link #step} (a batch of one with the Java blocks), which leaves that scan's intermediates in its block.
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

    private void forwardJava(int layer, int direction, float[][] in, MambaState[] states, float[][] out, int streams, int len) {
        MambaBlock block = blocks[layer][direction];
        for (int b = 0; b < streams; b++) block.forward(in[b], len, states[b], out[b]);
    }

    /** dst[T][d_model] = patch_embed · patches(frame) + bias. */
    private void embedPatches(float[] frame, int stream, float[] dst) {
        int c = cfg.channels(), h = cfg.height(), w = cfg.width(), p = cfg.patch();
        if (frame.length != c * h * w) {
            throw new IllegalArgumentException("frame " + stream + " has " + frame.length + " floats, expected " + c + "x" + h + "x" + w);
        }
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
        MatVec.applyT(patchWT, dm, pl, patches, 0, pl, t, dst, 0, dm);
        float[] bias = weights.patchB();
        for (int g = 0; g < t; g++) for (int j = 0; j < dm; j++) dst[g * dm + j] += bias[j];
    }

    /** seq[i] = xn[order[i]]. */
    private static void gather(ScanDirection dir, float[] xn, float[] seq, int dm) {
        int[] order = dir.order();
        for (int i = 0; i < dir.length(); i++) System.arraycopy(xn, order[i] * dm, seq, i * dm, dm);
    }

    /** acc[order[i]] += out[i]. */
    private static void scatterAdd(ScanDirection dir, float[] out, float[] acc, int dm) {
        int[] order = dir.order();
        for (int i = 0; i < dir.length(); i++) {
            int dst = order[i] * dm;
            for (int j = 0; j < dm; j++) acc[dst + j] += out[i * dm + j];
        }
    }

    /** seq[i] = mean of xn over the patches of coarse cell order[i]. */
    private void pool(int d, ScanDirection dir, float[] xn, float[] seq, int dm) {
        int[] seqOf = seqIndexOfPatch[d];
        float[] inv = poolScale[d];
        Arrays.fill(seq, 0, dir.length() * dm, 0f);
        for (int g = 0; g < seqOf.length; g++) {
            int i = seqOf[g];
            for (int j = 0; j < dm; j++) seq[i * dm + j] += xn[g * dm + j];
        }
        for (int i = 0; i < dir.length(); i++) {
            for (int j = 0; j < dm; j++) seq[i * dm + j] *= inv[i];
        }
    }

    /** acc[patch] += out[i] for every patch of coarse cell order[i]. */
    private void unpoolAdd(int d, float[] out, float[] acc, int dm) {
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

    /** Grows the per-stream workspaces to {@code n} streams; a no-op once they are that large. */
    private void ensureCapacity(int n) {
        if (n <= capacity) return;
        int size = cfg.tokens() * cfg.dModel();
        int dirs = plan.directions().size();
        x = grow(x, n, size);
        xn = grow(xn, n, size);
        acc = grow(acc, n, size);
        seqs = grow(seqs, n, size);
        outs = grow(outs, n, size);
        MambaState[][] sc = new MambaState[n][];
        for (int b = 0; b < n; b++) {
            if (scratch != null && b < scratch.length) {
                sc[b] = scratch[b];
                continue;
            }
            sc[b] = new MambaState[dirs];
            for (int d = 0; d < dirs; d++) sc[b][d] = blocks[0][d].newState();
        }
        scratch = sc;
        runStates = new MambaState[n];
        capacity = n;
    }

    private static float[][] grow(float[][] old, int n, int size) {
        float[][] a = new float[n][];
        for (int b = 0; b < n; b++) a[b] = old != null && b < old.length ? old[b] : new float[size];
        return a;
    }

    /** Writes this model's weights (see {@link SpatiotemporalWeights#save}). */
    public void save(Path file) {
        weights.save(file);
    }
}
