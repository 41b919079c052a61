package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
