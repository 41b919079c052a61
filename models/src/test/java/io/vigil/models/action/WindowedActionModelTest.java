package io.vigil.models.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.TestData;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real trajectory classifiers through the windowed contract reproduce the accuracies MODEL.md records. */
class WindowedActionModelTest {
    /** Rows of "class, x0, y0, ..., x15, y15". */
    static float[][] rows(Path csv, int[] labels) throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        float[][] x = new float[lines.size()][32];
        for (int i = 0; i < lines.size(); i++) {
            String[] p = lines.get(i).split(",");
            labels[i] = Integer.parseInt(p[0].trim());
            for (int j = 0; j < 32; j++) x[i][j] = Float.parseFloat(p[j + 1].trim());
        }
        return x;
    }

    private static int correct(String file, Path csv, float threshold) throws IOException {
        int[] labels = new int[6000];
        float[][] x = rows(csv, labels);
        try (WindowedActionModel m = WindowedActionModel.open(ModelBundle.load(TestData.model("gesture-point-history").resolve(file)),
                ExecutionProvider.CPU, 1)) {
            List<WindowedActionModel.Prediction> p = m.classify(x, threshold);
            assertEquals(x.length, p.size());
            int ok = 0;
            for (int i = 0; i < x.length; i++) if (p.get(i).classId() == labels[i]) ok++;
            return ok;
        }
    }

    @Test
    void sampleOf100RecordedTrajectories() throws IOException {
        Path sample = TestData.model("gesture-point-history").resolve("point_history_sample.csv");
        assertEquals(99, correct("point_history_classifier.onnx", sample, 0.5f), "MODEL.md: MLP 99 %");
        assertEquals(100, correct("point_history_classifier_lstm.onnx", sample, 0.5f), "MODEL.md: LSTM 100 %");
    }

    @Test
    void fullRecordedFileMatchesTheRecordedAccuracies() throws IOException {
        Path full = TestData.model("gesture-point-history").resolve("point_history.csv");
        // MODEL.md on n = 5,296: MLP 96.19 % / 94.66 %, LSTM 98.04 % / 98.00 % at thresholds 0.0 / 0.5
        assertEquals(96.19, 100.0 * correct("point_history_classifier.onnx", full, 0f) / 5296, 0.01);
        assertEquals(94.66, 100.0 * correct("point_history_classifier.onnx", full, 0.5f) / 5296, 0.01);
        assertEquals(98.04, 100.0 * correct("point_history_classifier_lstm.onnx", full, 0f) / 5296, 0.01);
        assertEquals(98.00, 100.0 * correct("point_history_classifier_lstm.onnx", full, 0.5f) / 5296, 0.01);
    }

    @Test
    void folderWithBothGraphsResolvesToTheCatalogueEntriesAndLabels() {
        ModelBundle b = ModelBundle.load(TestData.model("gesture-point-history"));
        assertEquals("gesture-point-history", b.descriptor().name());
        assertEquals(List.of("Stop", "Clockwise", "Counter Clockwise", "Move"), b.labels());
        ModelBundle lstm = ModelBundle.load(TestData.model("gesture-point-history").resolve("point_history_classifier_lstm.onnx"));
        assertEquals("gesture-point-history-lstm", lstm.descriptor().name());
        assertTrue(lstm.modelId().startsWith("gesture-point-history-lstm@sha256:e92172403d61"));
    }

    @Test
    void syntheticTracksGetTheirClasses() {
        try (WindowedActionModel m = WindowedActionModel.open(ModelBundle.load(TestData.model("gesture-point-history")), ExecutionProvider.CPU, 1)) {
            float[] still = new float[32];
            float[] line = new float[32];
            float[] cw = new float[32];
            for (int i = 0; i < 16; i++) {
                line[2 * i] = i * 15f / 960;
                double a = i * 2 * Math.PI / 16;
                // clockwise on screen (y down): angle increases with x = cos, y = sin
                cw[2 * i] = (float) ((60 * Math.cos(a) - 60) / 960);
                cw[2 * i + 1] = (float) (60 * Math.sin(a) / 540);
            }
            List<WindowedActionModel.Prediction> p = m.classify(new float[][] {still, line, cw}, 0.5f);
            assertEquals(List.of("Stop", "Move", "Clockwise"), p.stream().map(WindowedActionModel.Prediction::label).toList());
        }
    }
}
