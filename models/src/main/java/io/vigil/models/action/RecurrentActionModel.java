package io.vigil.models.action;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recurrent contract: the model takes this step's input [N, D] plus state tensors [N, ...] and returns
 * its output plus the new states; model.yaml pairs each state input with its output. The CALLER owns the
 * states (so Flink can checkpoint them): {@link #step} takes each stream's states and writes the new ones back
 * in place. Streams are stacked along the batch axis into one run. Owns its session; not thread-safe.
 */
public final class RecurrentActionModel implements AutoCloseable {
    private final ModelBundle bundle;
    private final OrtSession session;
    private final ModelDescriptor.Action contract;
    private final int inputWidth;
    private final Map<String, long[]> stateShapes = new LinkedHashMap<>(); // state input -> shape without batch

    private RecurrentActionModel(ModelBundle bundle, OrtSession session, int inputWidth) {
        this.bundle = bundle;
        this.session = session;
        this.contract = bundle.descriptor().action();
        this.inputWidth = inputWidth;
    }

    public static RecurrentActionModel open(ModelBundle bundle, ExecutionProvider provider, int threads) {
        ModelDescriptor.Action a = bundle.descriptor().action();
        if (a == null || !"recurrent".equals(a.contract())) {
            throw new ModelException(bundle.modelId() + " does not have the recurrent contract");
        }
        OrtSession s = ActionSessions.open(bundle, provider, threads);
        try {
            Map<String, NodeInfo> in = s.getInputInfo();
            Map<String, NodeInfo> out = s.getOutputInfo();
            NodeInfo x = in.get(a.input());
            if (x == null) throw new ModelException(bundle.onnxFile() + ": no input '" + a.input() + "' (the graph has " + in.keySet() + ")");
            long[] xs = ((TensorInfo) x.getInfo()).getShape();
            if (xs.length != 2 || xs[1] <= 0) throw new ModelException(bundle.onnxFile() + ": input '" + a.input() + "' must be [N, features], is " + Arrays.toString(xs));
            if (!out.containsKey(a.output())) throw new ModelException(bundle.onnxFile() + ": no output '" + a.output() + "' (the graph has " + out.keySet() + ")");
            RecurrentActionModel m = new RecurrentActionModel(bundle, s, (int) xs[1]);
            for (Map.Entry<String, String> e : a.states().entrySet()) {
                NodeInfo si = in.get(e.getKey());
                if (si == null) throw new ModelException(bundle.onnxFile() + ": no state input '" + e.getKey() + "' (action.states)");
                NodeInfo so = out.get(e.getValue());
                if (so == null) throw new ModelException(bundle.onnxFile() + ": no state output '" + e.getValue() + "' (action.states)");
                long[] shape = ((TensorInfo) si.getInfo()).getShape();
                long[] outShape = ((TensorInfo) so.getInfo()).getShape();
                for (int i = 1; i < shape.length; i++) {
                    if (shape[i] <= 0) throw new ModelException(bundle.onnxFile() + ": state '" + e.getKey() + "' needs fixed sizes after the batch axis, has " + Arrays.toString(shape));
                }
                if (!Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), Arrays.copyOfRange(outShape, 1, outShape.length))) {
                    throw new ModelException(bundle.onnxFile() + ": state '" + e.getKey() + "' " + Arrays.toString(shape) + " and its output '"
                            + e.getValue() + "' " + Arrays.toString(outShape) + " differ");
                }
                m.stateShapes.put(e.getKey(), Arrays.copyOfRange(shape, 1, shape.length));
            }
            return m;
        } catch (OrtException | RuntimeException e) {
            throw ActionSessions.rejected(s, bundle, e);
        }
    }

    /** State input names, in model.yaml order. */
    public List<String> stateNames() {
        return new ArrayList<>(stateShapes.keySet());
    }

    /** Floats per stream of a state (its shape without the batch axis, multiplied out). */
    public int stateSize(String name) {
        long n = 1;
        for (long d : stateShapes.get(name)) n *= d;
        return (int) n;
    }

    /** Fresh zero states for one stream, in {@link #stateNames()} order. */
    public float[][] newState() {
        List<String> names = stateNames();
        float[][] s = new float[names.size()][];
        for (int i = 0; i < s.length; i++) s[i] = new float[stateSize(names.get(i))];
        return s;
    }

    /**
     * One step for several streams in one run.
     *
     * @param inputs [streams][features]
     * @param states [streams][state][values], read and overwritten with the new states
     * @return [streams][output values]
     */
    public float[][] step(float[][] inputs, float[][][] states) {
        int n = inputs.length;
        if (states.length != n) throw new IllegalArgumentException(n + " inputs but " + states.length + " states");
        List<String> names = stateNames();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            float[] x = new float[n * inputWidth];
            for (int i = 0; i < n; i++) {
                if (inputs[i].length != inputWidth) throw new IllegalArgumentException("input " + i + " has " + inputs[i].length + " values, the model wants " + inputWidth);
                System.arraycopy(inputs[i], 0, x, i * inputWidth, inputWidth);
            }
            feed.put(contract.input(), OnnxTensor.createTensor(OrtRuntime.env(), FloatBuffer.wrap(x), new long[] {n, inputWidth}));
            for (int k = 0; k < names.size(); k++) {
                int size = stateSize(names.get(k));
                float[] flat = new float[n * size];
                for (int i = 0; i < n; i++) System.arraycopy(states[i][k], 0, flat, i * size, size);
                long[] shape = stateShapes.get(names.get(k));
                long[] full = new long[shape.length + 1];
                full[0] = n;
                System.arraycopy(shape, 0, full, 1, shape.length);
                feed.put(names.get(k), OnnxTensor.createTensor(OrtRuntime.env(), FloatBuffer.wrap(flat), full));
            }
            try (OrtSession.Result r = session.run(feed)) {
                for (int k = 0; k < names.size(); k++) {
                    int size = stateSize(names.get(k));
                    FloatBuffer fb = ((OnnxTensor) r.get(contract.states().get(names.get(k))).orElseThrow()).getFloatBuffer();
                    for (int i = 0; i < n; i++) fb.get(states[i][k], 0, size);
                }
                FloatBuffer ob = ((OnnxTensor) r.get(contract.output()).orElseThrow()).getFloatBuffer();
                int per = ob.remaining() / n;
                float[][] out = new float[n][per];
                for (int i = 0; i < n; i++) ob.get(out[i]);
                return out;
            }
        } catch (OrtException e) {
            throw new ModelException("inference failed on " + bundle.modelId() + ": " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : feed.values()) t.close();
        }
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
