package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.cli.VigilCli;
import io.vigil.video.source.SampleMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Re-runs the two commands that produced the committed motion model (models/trained/motion-mamba/README.md) on this
 * machine: real tracks from vtest.avi and Megamind.avi by the detector and tracker, then the training. Within 5 minutes
 * it reproduces the committed held-out FDE@5 within 0.2 px, and the model beats the tracker's Kalman filter on it.
 */
class TrainMotionReproduceITCase {
    private static final Pattern FDE5 = Pattern.compile("held_out_fde5_px: ([0-9.]+)");
    private static final Pattern SHA = Pattern.compile("data_sha256: ([0-9a-f]+)");

    @Test
    void theCommittedCommandsReproduceTheShippedModel() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        String committed = Files.readString(home.resolve("models/trained/motion-mamba/model.yaml"));
        Path data = Files.createTempDirectory("motion-data");
        Path out = Files.createTempDirectory("motion-retrain");
        long t0 = System.nanoTime();
        String videos = SampleMedia.require("vtest.avi") + "," + SampleMedia.require("Megamind.avi");
        assertEquals(0, VigilCli.commandLine().execute("train", "motion-data", "--video", videos, "--out", data.toString()));
        assertEquals(0, VigilCli.commandLine().execute("train", "motion", "--data", data.resolve("tracks.csv").toString(), "--out", out.toString(),
                "--epochs", "20", "--seed", "1", "--mirror"));
        double minutes = (System.nanoTime() - t0) / 60e9;
        String retrained = Files.readString(out.resolve("model.yaml"));
        double want = number(FDE5, committed), got = number(FDE5, retrained);
        boolean sameTracks = find(SHA, committed).equals(find(SHA, retrained));
        System.out.printf(java.util.Locale.ROOT, "retrained in %.1f min: held-out FDE@5 %.3f px (committed %.3f), tracks %s%n", minutes, got, want,
                sameTracks ? "byte-identical" : "differ from the committed ones");
        assertTrue(minutes <= 5, "took " + minutes + " min");
        assertEquals(want, got, 0.2, "held-out FDE@5 within 0.2 px of the committed model's");
        String table = Files.readString(out.resolve("comparison.txt"));
        double kalman = fde5(table, "kalman"), ssm = fde5(table, "ssm");
        assertTrue(ssm < kalman, "the selective scan beats the Kalman filter 5 frames ahead: " + ssm + " vs " + kalman + " px\n" + table);
    }

    private static double fde5(String table, String row) {
        for (String line : table.split("\n")) {
            if (!line.startsWith(row)) continue;
            String[] c = line.trim().split("\\s+");
            return Double.parseDouble(c[c.length - 2]); // ... FDE@5, best FDE@5 %
        }
        throw new AssertionError("no row " + row + " in\n" + table);
    }

    private static String find(Pattern p, String yaml) {
        Matcher m = p.matcher(yaml);
        assertTrue(m.find(), yaml);
        return m.group(1);
    }

    private static double number(Pattern p, String yaml) {
        return Double.parseDouble(find(p, yaml));
    }
}
