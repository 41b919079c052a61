package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.models.TestData;
import io.vigil.models.export.TrajectoryExport;
import io.vigil.models.action.RecurrentActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import io.vigil.lab.train.TrajectoryData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped trajectory model exported through the recurrent contract gives the Java model's scores and labels. */
class TrajectoryExportTest {
    @TempDir
    Path tmp;

    @Test
    void onnxAndJavaGiveTheSameLabelsOnEveryHeldOutTrajectory() throws Exception {
        Path weights = Path.of("..", "models", "trained", "trajectory-mamba", "model.safetensors").toAbsolutePath().normalize();
        TrajectoryExport.write(weights, "trajectory-mamba", tmp);
        Path dir = TestData.model("gesture-point-history");
        List<String> labels = TrajectoryData.readLabels(dir.resolve("point_history_classifier_label.csv"));
        TrajectoryData data = TrajectoryData.read(dir.resolve("point_history.csv"), labels);
        int[] rows = data.chainSplit(0.25, 1, TrajectoryData.PURGE_ROWS).heldOut();
        TrajectoryModel java = TrajectoryModel.load(weights, "scalar");
        try (RecurrentActionModel onnx = RecurrentActionModel.open(ModelBundle.load(tmp), ExecutionProvider.CPU, 1)) {
            assertEquals(labels, onnx.bundle().labels());
            float[][][] states = new float[rows.length][][];
            StreamState[] javaStates = new StreamState[rows.length];
            for (int i = 0; i < rows.length; i++) {
                states[i] = onnx.newState();
                javaStates[i] = java.newState();
            }
            float[] scores = new float[labels.size()];
            int steps = data.pointsPerRow() - 1;
            int sameLabels = 0;
            for (int t = 0; t < steps; t++) {
                float[][] in = new float[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    float[] d = data.displacements(rows[i]);
                    in[i] = new float[] {d[2 * t], d[2 * t + 1]};
                }
                float[][] out = onnx.step(in, states); // every held-out trajectory as one stream of a batched run
                for (int i = 0; i < rows.length; i++) {
                    java.step(in[i][0], in[i][1], javaStates[i], scores);
                    for (int c = 0; c < scores.length; c++) assertEquals(scores[c], out[i][c], 1e-4, "row " + rows[i] + " step " + t + " class " + c);
                    if (t == steps - 1 && argmax(scores) == argmax(out[i])) sameLabels++;
                }
            }
            assertEquals(rows.length, sameLabels, "the same label for every held-out trajectory");
        }
    }

    private static int argmax(float[] s) {
        int b = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[b]) b = i;
        return b;
    }
}
