package io.vigil.flink.spatiotemporal;

import io.vigil.events.ActionEvent;
import io.vigil.events.DetectionEvent;
import io.vigil.models.action.RecurrentActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A recurrent action head on the spatiotemporal vectors: a model with the recurrent contract (input [N, d_model],
 * paired state tensors, class scores out), stepped once per frame per camera with its state in the camera's keyed
 * state. Only a configured, trained model runs; its top classes become a per-camera action event.
 */
final class RecurrentHead implements AutoCloseable {
    private final RecurrentActionModel model;
    private final String modelId;
    private final List<String> labels;

    RecurrentHead(String path) {
        ModelBundle b = ModelBundle.load(Path.of(path));
        if (!"action".equals(b.descriptor().kind())) {
            throw new IllegalArgumentException(b.modelId() + " is a " + b.descriptor().kind() + " model: an action head must name its classes (kind: action)");
        }
        model = RecurrentActionModel.open(b, ExecutionProvider.CPU, 1);
        modelId = b.modelId();
        labels = b.labels();
    }

    float[][] newState() {
        return model.newState();
    }

    /** Steps the cameras' heads together; states are updated in place; one event per camera. */
    ActionEvent[] step(List<DetectionEvent> events, float[][][] states) {
        float[][] in = new float[events.size()][];
        for (int i = 0; i < in.length; i++) in[i] = events.get(i).embedding;
        float[][] scores = model.step(in, states);
        ActionEvent[] out = new ActionEvent[events.size()];
        for (int i = 0; i < out.length; i++) {
            DetectionEvent e = events.get(i);
            Integer[] order = new Integer[scores[i].length];
            for (int k = 0; k < order.length; k++) order[k] = k;
            float[] s = scores[i];
            Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a]));
            int top = Math.min(3, order.length);
            ActionEvent a = new ActionEvent();
            a.camera = e.camera;
            a.frame = e.frame;
            a.tsMicros = e.tsMicros;
            a.labels = new String[top];
            a.scores = new float[top];
            for (int k = 0; k < top; k++) {
                a.labels[k] = order[k] < labels.size() ? labels.get(order[k]) : "class" + order[k];
                a.scores[k] = s[order[k]];
            }
            a.model = modelId;
            out[i] = a;
        }
        return out;
    }

    static byte[] toBytes(float[][] state) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(state.length);
            for (float[] s : state) {
                out.writeInt(s.length);
                for (float v : s) out.writeFloat(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static float[][] fromBytes(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            float[][] s = new float[in.readInt()][];
            for (int i = 0; i < s.length; i++) {
                s[i] = new float[in.readInt()];
                for (int j = 0; j < s[i].length; j++) s[i][j] = in.readFloat();
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
