package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.TestData;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.lab.train.TrajectoryData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped streaming trajectory model (models/trained/trajectory-mamba, trained by `vigil train actions`) on the
 * held-out chains of point_history.csv its training never saw (chain-block split, seed 1, purge around it), through
 * the float32 streaming path, next to the upstream LSTM and MLP on the same rows (which upstream trained on in part).
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
        TrajectoryModel m = TrajectoryModel.load(shipped().resolve("model.safetensors"), null);
        assertEquals(TrajectoryData.read(dir.resolve("point_history.csv"), labels).sha256(), m.metadata().get("data_sha256"), "trained on this very file");
        assertEquals("chain-block, purge " + TrajectoryData.PURGE_ROWS + " rows", m.metadata().get("held_out_split"), "held out by chain");
        long seed = Long.parseLong(m.metadata().get("seed"));

        Map<String, HeldOutComparison.Score> s = HeldOutComparison.run(shipped(), dir, seed);
        System.out.print(HeldOutComparison.format(s, labels));
        double mamba = s.get("trajectory-mamba").accuracy();
        double recorded = Double.parseDouble(m.metadata().get("held_out_accuracy"));
        assertEquals(recorded, mamba, 0.005, "the float32 streaming path gives the accuracy training recorded");
        assertTrue(mamba >= MIN_ACCURACY, "held-out accuracy " + mamba);
        // measured 2026-12-07: 97.57 % against the LSTM's 97.99 % and the MLP's 96.32 % on the same 1441 rows (which
        // upstream trained on in part, so the comparison favours them)
        double lstm = s.get("upstream LSTM").accuracy();
        assertTrue(mamba >= lstm - 0.01, "within 1 point of the upstream LSTM: " + mamba + " against " + lstm);
    }

    /** Below the measured held-out accuracy (0.9757, models/trained/trajectory-mamba/README.md) by a margin. */
    static final double MIN_ACCURACY = 0.95;

    @Test
    void theScoreCountsAndConfuses() {
        HeldOutComparison.Score s = HeldOutComparison.score("x", new int[] {0, 0, 1, 2}, new int[] {0, 1, 1, 1}, 3);
        assertEquals(0.5, s.accuracy());
        assertEquals(1, s.confusion()[0][1]);
        assertEquals(1, s.confusion()[2][1]);
    }
}
