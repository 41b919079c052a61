package io.vigil.spatiotemporal.model;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.io.Tensor;
import io.vigil.spatiotemporal.ssm.MambaBlock;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming trajectory classifier, float32, one {@link #step} per new point of a track: O(1) work and a fixed
 * state (each layer's conv window and SSM state) however long the track runs; no window of points is kept.
 *
 * <pre>
 * x      = embed.weight · (s · Δp) + embed.bias          Δp: displacement since the previous point / frame size
 * x     += Mamba_l(RMSNorm(x) ⊙ layers.l.norm.weight)     l = 0..layers-1, stepped from the track's state
 * scores = softmax(head.weight · (RMSNorm(x) ⊙ norm_f.weight) + head.bias)
 * </pre>
 *
 * Trained by {@code io.vigil.lab.train.TrajectoryTrainer}; the file's metadata holds the shape, the input
 * scale s and the labels. Not thread-safe (it owns workspaces): one instance per thread, states per track.
 */
public final class TrajectoryModel {
    private static final float EPS = 1e-5f;

    private final int dModel;
    private final int classes;
    private final float inputScale;
    private final List<String> labels;
    private final float[] embedW;   // [d_model][2]
    private final float[] embedB;   // [d_model]
    private final float[][] norms;  // [layers][d_model]
    private final MambaBlock[] blocks;
    private final float[] normF;    // [d_model]
    private final float[] headW;    // [classes][d_model]
    private final float[] headB;    // [classes]
    private final Map<String, String> metadata;
    private final float[] x;        // [d_model] residual stream of one step
    private final float[] xn;       // [d_model]
    private final float[] y;        // [d_model]
    private final float[] logits;   // [classes]

    private TrajectoryModel(SafeTensors st, String kernel) {
        metadata = Map.copyOf(st.metadata());
        int layers = intMeta("layers");
        dModel = intMeta("d_model");
        classes = intMeta("classes");
        inputScale = Float.parseFloat(meta("input_scale"));
        labels = List.of(meta("labels").split("\n"));
        if (labels.size() != classes) throw new SafeTensorsException("trajectory model: " + labels.size() + " labels for " + classes + " classes");
        embedW = tensor(st, "embed.weight", dModel, 2);
        embedB = tensor(st, "embed.bias", dModel);
        norms = new float[layers][];
        blocks = new MambaBlock[layers];
        for (int l = 0; l < layers; l++) {
            norms[l] = tensor(st, "layers." + l + ".norm.weight", dModel);
            MambaWeights w = MambaWeights.from(st, "layers." + l + ".mixer.");
            if (w.dModel != dModel) throw new SafeTensorsException("trajectory model: layer " + l + " has d_model " + w.dModel);
            blocks[l] = new MambaBlock(w, kernel == null ? SelectiveScanKernels.create() : SelectiveScanKernels.create(kernel));
        }
        normF = tensor(st, "norm_f.weight", dModel);
        headW = tensor(st, "head.weight", classes, dModel);
        headB = tensor(st, "head.bias", classes);
        x = new float[dModel];
        xn = new float[dModel];
        y = new float[dModel];
        logits = new float[classes];
    }

    /** @param kernel scalar, vector, or null for the default */
    public static TrajectoryModel load(Path file, String kernel) {
        return new TrajectoryModel(SafeTensors.read(file), kernel);
    }

    public static TrajectoryModel of(SafeTensors st, String kernel) {
        return new TrajectoryModel(st, kernel);
    }

    public List<String> labels() { return labels; }
    public int classes() { return classes; }
    public float inputScale() { return inputScale; }
    public Map<String, String> metadata() { return metadata; }

    public StreamState newState() {
        List<MambaState> s = new ArrayList<>();
        for (MambaBlock b : blocks) s.add(b.newState());
        return new StreamState(s);
    }

    /**
     * One new point of a track.
     *
     * @param dx     its x displacement since the previous point, divided by the frame width
     * @param dy     the same for y (divided by the frame height, y down)
     * @param state  the track's state: read, then advanced past this point
     * @param scores [classes], written: softmax probabilities
     */
    public void step(float dx, float dy, StreamState state, float[] scores) {
        float a = dx * inputScale, b = dy * inputScale;
        for (int i = 0; i < dModel; i++) x[i] = embedW[2 * i] * a + embedW[2 * i + 1] * b + embedB[i];
        for (int l = 0; l < blocks.length; l++) {
            rmsNorm(x, norms[l], xn);
            blocks[l].step(xn, state.layer(l), y);
            for (int i = 0; i < dModel; i++) x[i] += y[i];
        }
        rmsNorm(x, normF, xn);
        head(xn, 0, scores, 0);
        state.advance();
    }

    /**
     * A whole trajectory at once from a fresh state (the blocks' chunked forward), for checking that stepping equals it.
     *
     * @param disp   [len][2] displacements
     * @param scores [len][classes], written
     */
    public void forward(float[] disp, int len, float[] scores) {
        float[] xs = new float[len * dModel];
        float[] ns = new float[len * dModel];
        float[] ys = new float[len * dModel];
        for (int t = 0; t < len; t++) {
            float a = disp[2 * t] * inputScale, b = disp[2 * t + 1] * inputScale;
            for (int i = 0; i < dModel; i++) xs[t * dModel + i] = embedW[2 * i] * a + embedW[2 * i + 1] * b + embedB[i];
        }
        float[] row = new float[dModel];
        float[] out = new float[dModel];
        for (int l = 0; l < blocks.length; l++) {
            for (int t = 0; t < len; t++) {
                System.arraycopy(xs, t * dModel, row, 0, dModel);
                rmsNorm(row, norms[l], out);
                System.arraycopy(out, 0, ns, t * dModel, dModel);
            }
            blocks[l].forward(ns, len, blocks[l].newState(), ys);
            for (int i = 0; i < len * dModel; i++) xs[i] += ys[i];
        }
        for (int t = 0; t < len; t++) {
            System.arraycopy(xs, t * dModel, row, 0, dModel);
            rmsNorm(row, normF, out);
            head(out, 0, scores, t * classes);
        }
    }

    private void head(float[] f, int off, float[] scores, int so) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float s = headB[c];
            for (int i = 0; i < dModel; i++) s += headW[c * dModel + i] * f[off + i];
            logits[c] = s;
            max = Math.max(max, s);
        }
        float sum = 0;
        for (int c = 0; c < classes; c++) sum += scores[so + c] = (float) Math.exp(logits[c] - max);
        for (int c = 0; c < classes; c++) scores[so + c] /= sum;
    }

    private void rmsNorm(float[] v, float[] w, float[] out) {
        rmsNorm(v, w, out, dModel);
    }

    /** out = v / rms(v) ⊙ w over the first d values. */
    static void rmsNorm(float[] v, float[] w, float[] out, int d) {
        float ss = 0;
        for (int i = 0; i < d; i++) ss += v[i] * v[i];
        float inv = (float) (1 / Math.sqrt(ss / d + EPS));
        for (int i = 0; i < d; i++) out[i] = v[i] * inv * w[i];
    }

    private String meta(String key) {
        String v = metadata.get(key);
        if (v == null) throw new SafeTensorsException("trajectory model: metadata key " + key + " is missing");
        return v;
    }

    private int intMeta(String key) {
        try {
            return Integer.parseInt(meta(key).trim());
        } catch (NumberFormatException e) {
            throw new SafeTensorsException("trajectory model: metadata " + key + " is not an integer: " + meta(key));
        }
    }

    static float[] tensor(SafeTensors st, String name, long... shape) {
        if (!st.has(name)) throw new SafeTensorsException("trajectory model: tensor " + name + " is missing");
        Tensor t = st.get(name);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new SafeTensorsException("trajectory model: tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape));
        }
        return t.floats();
    }

    /** Metadata keys, for writers. */
    public static Map<String, String> metadata(int dModel, int layers, int dState, int dConv, int expand, float inputScale, List<String> labels) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "vigil.trajectory/1");
        m.put("d_model", Integer.toString(dModel));
        m.put("layers", Integer.toString(layers));
        m.put("d_state", Integer.toString(dState));
        m.put("d_conv", Integer.toString(dConv));
        m.put("expand", Integer.toString(expand));
        m.put("classes", Integer.toString(labels.size()));
        m.put("input_scale", Float.toString(inputScale));
        m.put("labels", String.join("\n", labels));
        return m;
    }
}
