package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.cli.VigilCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Re-runs the command that produced the committed trajectory model (models/trained/trajectory-mamba/README.md) on
 * this machine: it finishes within 10 minutes and reproduces the committed held-out accuracy within 0.5 point.
 */
class TrainActionsReproduceITCase {
    private static final Pattern ACCURACY = Pattern.compile("held_out: \\{[^}]*accuracy: ([0-9.]+)\\}");

    @Test
    void theCommittedCommandReproducesTheShippedModel() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        Path committed = home.resolve("models/trained/trajectory-mamba/model.yaml");
        Path data = TestPaths.model("gesture-point-history");
        Path out = Files.createTempDirectory("trajectory-retrain");
        long t0 = System.nanoTime();
        int rc = VigilCli.commandLine().execute("train", "actions", "--data", data.resolve("point_history.csv").toString(),
                "--labels", data.resolve("point_history_classifier_label.csv").toString(), "--out", out.toString(), "--seed", "1", "--epochs", "30");
        double minutes = (System.nanoTime() - t0) / 60e9;
        assertEquals(0, rc);
        double want = accuracy(Files.readString(committed));
        double got = accuracy(Files.readString(out.resolve("model.yaml")));
        System.out.printf(java.util.Locale.ROOT, "retrained in %.1f min: held-out %.4f (committed %.4f)%n", minutes, got, want);
        assertTrue(minutes <= 10, "training took " + minutes + " min");
        assertEquals(want, got, 0.005, "held-out accuracy within 0.5 point of the committed model's");
    }

    private static double accuracy(String yaml) {
        Matcher m = ACCURACY.matcher(yaml);
        assertTrue(m.find(), yaml);
        return Double.parseDouble(m.group(1));
    }
}
