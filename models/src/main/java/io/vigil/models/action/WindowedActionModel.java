package io.vigil.models.action;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.models.runtime.OrtRuntime;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The windowed action contract: the model takes the last W observations of a stream (e.g. a track's last 16
 * centre points, flattened to W·F values) and returns, per stream, class scores [N, C] or class ids [N]. Many
 * streams go in one run when the batch axis is dynamic. Owns its session; not thread-safe.
 */
public final class WindowedActionModel implements AutoCloseable {
    private final ModelBundle bundle;
    private final OrtSession session;
    private final ModelDescriptor.Action contract;
    private final int width;
    private final boolean dynamicBatch;

    private WindowedActionModel(ModelBundle bundle, OrtSession session, boolean dynamicBatch) {
        this.bundle = bundle;
        this.session = session;
        this.contract = bundle.descriptor().action();
        this.width = contract.window() * contract.features();
        this.dynamicBatch = dynamicBatch;
    }

    public static WindowedActionModel open(ModelBundle bundle, ExecutionProvider provider, int threads) {
        ModelDescriptor.Action a = bundle.descriptor().action();
        if (!"action".equals(bundle.descriptor().kind()) || a == null || !"windowed".equals(a.contract())) {
            throw new ModelException(bundle.modelId() + " is not a windowed action model");
        }
        OrtSession s = ActionSessions.open(bundle, provider, threads);
        try {
            Map<String, NodeInfo> in = s.getInputInfo();
            NodeInfo x = in.get(a.input());
            if (x == null) throw new ModelException(bundle.onnxFile() + ": no input '" + a.input() + "' (the graph has " + in.keySet() + ")");
            long[] shape = ((TensorInfo) x.getInfo()).getShape();
            long want = (long) a.window() * a.features();
            if (shape.length != 2 || (shape[1] != want && shape[1] != -1)) {
                throw new ModelException(bundle.onnxFile() + ": input '" + a.input() + "' has shape " + Arrays.toString(shape)
                        + ", the contract (window " + a.window() + " x features " + a.features() + ") needs [N, " + want + "]");
            }
            if (a.threshold() != null && !in.containsKey(a.threshold())) {
                throw new ModelException(bundle.onnxFile() + ": no input '" + a.threshold() + "' (action.threshold)");
            }
            if (!s.getOutputInfo().containsKey(a.output())) {
                throw new ModelException(bundle.onnxFile() + ": no output '" + a.output() + "' (the graph has " + s.getOutputInfo().keySet() + ")");
            }
            return new WindowedActionModel(bundle, s, shape[0] < 0);
        } catch (OrtException | RuntimeException e) {
            throw ActionSessions.rejected(s, bundle, e);
        }
    }

    /** Per stream: the predicted class and, when the model exposes them, the class scores (else null). */
    public record Prediction(int classId, String label, float[] scores) {}

    /**
     * @param windows [streams][window·features], oldest observation first
     * @param threshold for graphs with a score-threshold input (ids under it come back as class 0); 0 = plain argmax
     */
    public List<Prediction> classify(float[][] windows, float threshold) {
        if (windows.length == 0) return List.of();
        if (!dynamicBatch && windows.length > 1) {
            ArrayList<Prediction> out = new ArrayList<>();
            for (float[] w : windows) out.addAll(classify(new float[][] {w}, threshold));
            return out;
        }
        float[] flat = new float[windows.length * width];
        for (int i = 0; i < windows.length; i++) {
            if (windows[i].length != width) {
                throw new IllegalArgumentException("window " + i + " has " + windows[i].length + " values, the contract needs " + width);
            }
            System.arraycopy(windows[i], 0, flat, i * width, width);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(contract.input(), OnnxTensor.createTensor(OrtRuntime.env(), FloatBuffer.wrap(flat), new long[] {windows.length, width}));
            if (contract.threshold() != null) inputs.put(contract.threshold(), OnnxTensor.createTensor(OrtRuntime.env(), threshold));
            try (OrtSession.Result r = session.run(inputs)) {
                OnnxValue v = r.get(contract.output()).orElseThrow();
                Object value = v.getValue();
                ArrayList<Prediction> out = new ArrayList<>(windows.length);
                if (value instanceof long[] ids) {
                    for (long id : ids) out.add(new Prediction((int) id, label((int) id), null));
                } else if (value instanceof float[][] scores) {
                    for (float[] s : scores) {
                        int best = 0;
                        for (int c = 1; c < s.length; c++) if (s[c] > s[best]) best = c;
                        out.add(new Prediction(best, label(best), s));
                    }
                } else {
                    throw new ModelException("output '" + contract.output() + "' of " + bundle.modelId()
                            + " is neither class ids [N] (int64) nor scores [N, C] (float)");
                }
                return out;
            }
        } catch (OrtException e) {
            throw new ModelException("inference failed on " + bundle.modelId() + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : inputs.values()) t.close();
        }
    }

    private String label(int id) {
        List<String> l = bundle.labels();
        return id >= 0 && id < l.size() ? l.get(id) : "class" + id;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelException("closing " + bundle.modelId() + " failed: " + e.getMessage(), e);
        }
    }
}
