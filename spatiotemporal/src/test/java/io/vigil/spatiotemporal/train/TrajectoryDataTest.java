package io.vigil.spatiotemporal.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrajectoryDataTest {
    private static final List<String> LABELS = List.of("Stop", "Move");
    @TempDir
    Path tmp;

    private String error(String csv) throws Exception {
        Path f = Files.writeString(tmp.resolve("d.csv"), csv);
        return assertThrows(IllegalArgumentException.class, () -> TrajectoryData.read(f, LABELS)).getMessage();
    }

    @Test
    void badInputIsNamed() throws Exception {
        assertEquals("d.csv line 2: ragged row: 5 values where the first row had 7", error("0,0,0,1,1,2,2\n1,0,0,1,1\n"));
        assertEquals("d.csv line 2: unknown class id 5 (the labels file has 2: 0..1)", error("0,0,0,1,1,2,2\n5,0,0,1,1,2,2\n"));
        assertEquals("d.csv line 1, column 4: NaN is not a finite number", error("0,0,0,NaN,1,2,2\n1,0,0,1,1,2,2\n"));
        assertEquals("d.csv line 1, column 3: 'x' is not a number", error("0,0,x,1,1,2,2\n1,0,0,1,1,2,2\n"));
        assertEquals("d.csv line 1: class id 'a' is not an integer", error("a,0,0,1,1,2,2\n"));
        assertTrue(error("0,0,0,1,1,2,2\n0,0,0,1,1,2,2\n").endsWith("class 1 (Move) has no trajectories"));
        assertTrue(error("\n").endsWith("has no trajectories"));
    }

    @Test
    void displacementsAndAStratifiedSplit() throws Exception {
        StringBuilder sb = new StringBuilder("\uFEFF");
        for (int i = 0; i < 40; i++) sb.append(i % 4 == 0 ? 1 : 0).append(",0,0,0.1,0.2,0.3,0.1\r\n");
        Path f = Files.writeString(tmp.resolve("ok.csv"), sb);
        TrajectoryData d = TrajectoryData.read(f, LABELS);
        assertEquals(40, d.rows());
        assertEquals(3, d.pointsPerRow());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.2f, -0.1f}, d.displacements(0), 1e-6f);
        TrajectoryData.Split s = d.split(0.25, 1);
        assertEquals(8 + 3, s.heldOut().length, "per class: 25 % of 30 and of 10, rounded");
        assertEquals(29, s.train().length);
        assertEquals(3, Arrays.stream(s.heldOut()).filter(r -> d.classOf()[r] == 1).count(), "25 % of the 10 Move rows, rounded");
        assertArrayEquals(s.heldOut(), d.split(0.25, 1).heldOut(), "same seed, same split");
        assertTrue(!Arrays.equals(s.heldOut(), d.split(0.25, 2).heldOut()), "another seed, another split");
        Path labels = Files.writeString(tmp.resolve("l.csv"), "\uFEFFStop\r\nMove\r\n");
        assertEquals(LABELS, TrajectoryData.readLabels(labels));
    }
}
