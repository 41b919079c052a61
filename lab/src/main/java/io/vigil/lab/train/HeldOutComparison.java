package io.vigil.lab.train;

import io.vigil.models.action.WindowedActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import io.vigil.lab.train.TrajectoryData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trained trajectory model and the two upstream point-history classifiers on the same held-out rows: the split
 * the trained model's training used ({@link TrajectoryData#chainSplit}, its seed), the trained model stepped one point
 * at a time through the float32 streaming path, the upstream ONNX models given the 16-point windows (threshold 0:
 * plain argmax). Caveat that stays with every figure: upstream trained both ONNX models on a random 75 % of this
 * very file, so their scores on any of its rows are optimistic.
 */
public final class HeldOutComparison {
    /** One model's predictions: accuracy and the confusion matrix [true][predicted]. */
    public record Score(String model, double accuracy, int[][] confusion) {}

    private HeldOutComparison() {}

    /**
     * @param trained the trajectory-mamba directory (model.safetensors)
     * @param upstream the gesture-point-history directory (point_history.csv, labels, the two ONNX files)
     */
    public static Map<String, Score> run(Path trained, Path upstream, long seed) {
        List<String> labels = TrajectoryData.readLabels(upstream.resolve("point_history_classifier_label.csv"));
        TrajectoryData data = TrajectoryData.read(upstream.resolve("point_history.csv"), labels);
        int[] held = data.chainSplit(0.25, seed, TrajectoryData.PURGE_ROWS).heldOut();
        TrajectoryModel m = TrajectoryModel.load(trained.resolve("model.safetensors"), null);
        if (!m.labels().equals(labels)) throw new IllegalArgumentException(trained + " has labels " + m.labels() + ", the data " + labels);
        int k = labels.size();
        int[] truth = new int[held.length];
        int[] mamba = new int[held.length];
        float[][] windows = new float[held.length][];
        float[] scores = new float[k];
        for (int i = 0; i < held.length; i++) {
            int r = held[i];
            truth[i] = data.classOf()[r];
            windows[i] = data.points()[r];
            float[] d = data.displacements(r);
            StreamState s = m.newState();
            for (int t = 0; t < d.length / 2; t++) m.step(d[2 * t], d[2 * t + 1], s, scores);
            int best = 0;
            for (int c = 1; c < k; c++) if (scores[c] > scores[best]) best = c;
            mamba[i] = best;
        }
        Map<String, Score> out = new LinkedHashMap<>();
        out.put("trajectory-mamba", score("trajectory-mamba", truth, mamba, k));
        out.put("upstream LSTM", score("upstream LSTM", truth, windowed(upstream.resolve("point_history_classifier_lstm.onnx"), windows), k));
        out.put("upstream MLP", score("upstream MLP", truth, windowed(upstream.resolve("point_history_classifier.onnx"), windows), k));
        return out;
    }

    private static int[] windowed(Path onnx, float[][] windows) {
        try (WindowedActionModel w = WindowedActionModel.open(ModelBundle.load(onnx), ExecutionProvider.CPU, 1)) {
            List<WindowedActionModel.Prediction> p = w.classify(windows, 0f);
            int[] ids = new int[windows.length];
            for (int i = 0; i < ids.length; i++) ids[i] = p.get(i).classId();
            return ids;
        }
    }

    static Score score(String name, int[] truth, int[] predicted, int k) {
        int[][] confusion = new int[k][k];
        int ok = 0;
        for (int i = 0; i < truth.length; i++) {
            confusion[truth[i]][predicted[i]]++;
            if (truth[i] == predicted[i]) ok++;
        }
        return new Score(name, truth.length == 0 ? 0 : (double) ok / truth.length, confusion);
    }

    /** The scores as text: one line per model, then each confusion matrix (rows: true, columns: predicted). */
    public static String format(Map<String, Score> scores, List<String> labels) {
        StringBuilder sb = new StringBuilder();
        int n = scores.values().iterator().next().confusion().length;
        int rows = 0;
        for (int[] r : scores.values().iterator().next().confusion()) for (int v : r) rows += v;
        for (Score s : scores.values()) sb.append(String.format(Locale.ROOT, "%-17s %6.2f %% of %d held-out rows%n", s.model(), 100 * s.accuracy(), rows));
        int w = labels.stream().mapToInt(String::length).max().orElse(5) + 2;
        for (Score s : scores.values()) {
            sb.append('\n').append(s.model()).append(" (rows: true, columns: predicted)\n").append(" ".repeat(w));
            for (String l : labels) sb.append(String.format(Locale.ROOT, "%" + w + "s", l));
            sb.append('\n');
            for (int i = 0; i < n; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + w + "s", labels.get(i)));
                for (int j = 0; j < n; j++) sb.append(String.format(Locale.ROOT, "%" + w + "d", s.confusion()[i][j]));
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
