package io.vigil.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path tmp;

    private CliRun train(String csv) throws Exception {
        Path data = Files.writeString(tmp.resolve("data.csv"), csv);
        Path labels = Files.writeString(tmp.resolve("labels.csv"), "Stop\nMove\n");
        return CliRun.of("train", "actions", "--data", data.toString(), "--labels", labels.toString(), "--out", tmp.resolve("out").toString(),
                "--epochs", "1");
    }

    @Test
    void badTrainingInputIsOneClearLine() throws Exception {
        CliRun r = train("0,0,0,1,1\n7,0,0,1,1\n");
        assertEquals(2, r.exitCode());
        assertEquals("vigil actions: data.csv line 2: unknown class id 7 (the labels file has 2: 0..1)", r.err().strip());
        assertTrue(train("0,0,0,1,1\n1,0,0\n").err().contains("line 2: ragged row: 3 values where the first row had 5"));
        assertTrue(train("0,0,0,NaN,1\n1,0,0,1,1\n").err().contains("line 1, column 4: NaN is not a finite number"));
        assertTrue(train("0,0,0,1,1\n0,0,0,1,1\n").err().contains("class 1 (Move) has no trajectories"));
        assertTrue(!Files.exists(tmp.resolve("out")), "nothing written for bad input");
    }

    @Test
    void trainsAndWritesWeightsYamlAndConfusion() throws Exception {
        StringBuilder sb = new StringBuilder();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 80; i++) {
            int c = i % 2;
            sb.append(c);
            for (int k = 0; k < 8; k++) {
                double x = c == 0 ? r.nextGaussian() * 0.001 : k * 0.01;
                sb.append(',').append(x).append(',').append(c == 0 ? r.nextGaussian() * 0.001 : 0);
            }
            sb.append('\n');
        }
        CliRun run = train(sb.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("epoch   1/1  loss "), run.out());
        assertTrue(run.out().contains("held-out confusion"), run.out());
        for (String f : new String[] {"model.safetensors", "model.yaml", "confusion.txt"}) assertTrue(Files.exists(tmp.resolve("out").resolve(f)), f);
        String yaml = Files.readString(tmp.resolve("out/model.yaml"));
        assertTrue(yaml.contains("data_sha256: ") && yaml.contains("seed: 1") && yaml.contains("accuracy: "), yaml);
    }

    @Test
    void motionDataFromRealVideoWritesTracksAndTheBaselines() throws Exception {
        Path vtest = io.vigil.video.source.SampleMedia.require(io.vigil.video.source.SampleMedia.VTEST);
        CliRun r = CliRun.of("train", "motion-data", "--video", vtest.toString(), "--out", tmp.resolve("motion").toString(), "--max-frames", "80");
        assertEquals(0, r.exitCode(), r.err());
        io.vigil.lab.train.MotionTracks t = io.vigil.lab.train.MotionTracks.read(tmp.resolve("motion/tracks.csv"));
        assertTrue(t.tracks().size() >= 3, "people walk in vtest.avi's first 80 frames: " + r.out());
        assertTrue(t.tracks().stream().allMatch(x -> x.length() >= 10 && x.endFrame() <= 80));
        String baselines = Files.readString(tmp.resolve("motion/baselines.txt"));
        assertTrue(baselines.contains("kalman (the tracker's)") && baselines.contains("constant position") && baselines.contains("FDE@5"), baselines);
    }

    @Test
    void motionDataBadInputIsNamed() throws Exception {
        CliRun missing = CliRun.of("train", "motion-data", "--video", tmp.resolve("nope.avi").toString(), "--out", tmp.resolve("m").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("video file not found") && missing.err().contains("nope.avi"), missing.err());
        CliRun shortPieces = CliRun.of("train", "motion-data", "--video", "x.avi", "--out", tmp.resolve("m").toString(), "--min-length", "3");
        assertTrue(shortPieces.err().contains("--min-length must be at least 7"), shortPieces.err());
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> io.vigil.lab.train.MotionTrackExtractor.requireTracks(java.util.List.of(), java.util.List.of(Path.of("/v/tree.avi")), 10));
        assertTrue(none.getMessage().contains("no confirmed tracks of at least 10 frames in [tree.avi]"), none.getMessage());
        assertTrue(!Files.exists(tmp.resolve("m")), "nothing written for bad input");
    }

    @Test
    void motionTrainsOnTracksAndWritesTheModelAndTheComparison() throws Exception {
        java.util.Random r = new java.util.Random(2);
        java.util.List<io.vigil.lab.train.MotionTracks.Track> ts = new java.util.ArrayList<>();
        for (int id = 0; id < 20; id++) {
            int start = id * 10, n = 40;
            double vx = r.nextGaussian() * 3;
            float[][] b = new float[n][];
            for (int k = 0; k < n; k++) b[k] = new float[] {(float) (100 + vx * k), 50, (float) (130 + vx * k), 130};
            ts.add(new io.vigil.lab.train.MotionTracks.Track("walk.avi", 768, 576, id, start, b));
        }
        Path csv = tmp.resolve("tracks.csv");
        new io.vigil.lab.train.MotionTracks(ts).write(csv);
        CliRun run = CliRun.of("train", "motion", "--data", csv.toString(), "--out", tmp.resolve("model").toString(), "--epochs", "2");
        assertEquals(0, run.exitCode(), run.err());
        for (String f : new String[] {"model.safetensors", "model.yaml", "comparison.txt"}) assertTrue(Files.exists(tmp.resolve("model").resolve(f)), f);
        assertTrue(Files.readString(tmp.resolve("model/comparison.txt")).contains("ssm (this model)"));
        String yaml = Files.readString(tmp.resolve("model/model.yaml"));
        assertTrue(yaml.contains("kind: motion") && yaml.contains("data_sha256: ") && yaml.contains("held_out_fde5_px: "), yaml);
        // bad input, named
        Path one = tmp.resolve("one.csv");
        // one track of 12 frames: 7 before the boundary, 5 after, both under the 10 a piece needs
        new io.vigil.lab.train.MotionTracks(java.util.List.of(new io.vigil.lab.train.MotionTracks.Track("walk.avi", 768, 576, 1, 0,
                java.util.Arrays.copyOf(ts.get(0).boxes(), 12)))).write(one);
        CliRun few = CliRun.of("train", "motion", "--data", one.toString(), "--out", tmp.resolve("m2").toString());
        assertEquals(2, few.exitCode());
        assertTrue(few.err().contains("one.csv: ") && few.err().contains("both are needed"), few.err());
        Files.writeString(tmp.resolve("bad.csv"), "hello\n");
        assertTrue(CliRun.of("train", "motion", "--data", tmp.resolve("bad.csv").toString(), "--out", tmp.resolve("m3").toString()).err()
                .contains("not a motion tracks file"));
        assertTrue(!Files.exists(tmp.resolve("m2")) && !Files.exists(tmp.resolve("m3")), "nothing written for bad input");
    }
}
