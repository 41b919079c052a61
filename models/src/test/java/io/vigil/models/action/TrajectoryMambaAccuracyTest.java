package io.vigil.models.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.TestData;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import io.vigil.spatiotemporal.train.TrajectoryData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The shipped streaming trajectory model (models/trained/trajectory-mamba, trained by `vigil train actions`) on the
 * 25 % of point_history.csv it never saw (seed 1), one point at a time through the float32 streaming path, against
 * the upstream LSTM and MLP through ONNX Runtime on the same rows (which they did see in training).
 */
class TrajectoryMambaAccuracyTest {
    static Path shipped() {
        Path p = Path.of("..", "models", "trained", "trajectory-mamba").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(p.resolve("model.safetensors")), "missing " + p);
        return p;
    }

    @Test
    void heldOutAccuracyAgainstTheUpstreamModels() throws Exception {
        Path dir = TestData.model("gesture-point-history");
        List<String> labels = TrajectoryData.readLabels(dir.resolve("point_history_classifier_label.csv"));
        TrajectoryData data = TrajectoryData.read(dir.resolve("point_history.csv"), labels);
        int[] held = data.split(0.25, 1).heldOut();
        TrajectoryModel m = TrajectoryModel.load(shipped().resolve("model.safetensors"), null);
        assertEquals(labels, m.labels());
        assertEquals(data.sha256(), m.metadata().get("data_sha256"), "trained on this very file");

        int ok = 0;
        float[] scores = new float[labels.size()];
        float[][] windows = new float[held.length][];
        for (int i = 0; i < held.length; i++) {
            int r = held[i];
            windows[i] = data.points()[r];
            float[] d = data.displacements(r);
            StreamState s = m.newState();
            for (int t = 0; t < d.length / 2; t++) m.step(d[2 * t], d[2 * t + 1], s, scores);
            int best = 0;
            for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
            if (best == data.classOf()[r]) ok++;
        }
        double mamba = (double) ok / held.length;
        double lstm = windowed(dir.resolve("point_history_classifier_lstm.onnx"), windows, data, held);
        double mlp = windowed(dir.resolve("point_history_classifier.onnx"), windows, data, held);
        System.out.printf(Locale.ROOT, "held-out (n=%d, seed 1): trajectory-mamba %.2f %%, upstream LSTM %.2f %%, upstream MLP %.2f %%%n",
                held.length, 100 * mamba, 100 * lstm, 100 * mlp);
        assertTrue(mamba >= 0.95, "at least 95 %: " + mamba);
        assertTrue(mamba >= lstm - 0.01, "not more than 1 point below the LSTM (" + lstm + "): " + mamba);
        double recorded = Double.parseDouble(m.metadata().get("held_out_accuracy"));
        assertEquals(recorded, mamba, 0.005, "the float32 streaming path gives the accuracy training recorded");
    }

    private static double windowed(Path onnx, float[][] windows, TrajectoryData data, int[] held) {
        try (WindowedActionModel w = WindowedActionModel.open(ModelBundle.load(onnx), ExecutionProvider.CPU, 1)) {
            List<WindowedActionModel.Prediction> p = w.classify(windows, 0f);
            int ok = 0;
            for (int i = 0; i < held.length; i++) if (p.get(i).classId() == data.classOf()[held[i]]) ok++;
            return (double) ok / held.length;
        }
    }
}
