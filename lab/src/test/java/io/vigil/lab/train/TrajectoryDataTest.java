package io.vigil.lab.train;

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
    void displacementsAndLabels() throws Exception {
        Path f = Files.writeString(tmp.resolve("ok.csv"), "\uFEFF0,0,0,0.1,0.2,0.3,0.1\r\n1,0,0,0.1,0.2,0.3,0.1\r\n");
        TrajectoryData d = TrajectoryData.read(f, LABELS);
        assertEquals(2, d.rows());
        assertEquals(3, d.pointsPerRow());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.2f, -0.1f}, d.displacements(0), 1e-6f);
        Path labels = Files.writeString(tmp.resolve("l.csv"), "\uFEFFStop\r\nMove\r\n");
        assertEquals(LABELS, TrajectoryData.readLabels(labels));
    }

    /** Writes rows of 4 points: {@code runs[i]} windows over one random walk per run, runs 2k and 2k+1 of one class, so
     * a chain also ends where the class does not change. */
    private TrajectoryData walks(int... runs) throws Exception {
        java.util.Random r = new java.util.Random(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < runs.length; i++) {
            double[] x = new double[runs[i] + 3], y = new double[runs[i] + 3];
            for (int k = 1; k < x.length; k++) {
                x[k] = x[k - 1] + r.nextInt(9) / 960.0;
                y[k] = y[k - 1] + r.nextInt(9) / 540.0;
            }
            for (int w = 0; w < runs[i]; w++) {
                sb.append((i / 2) % 2);
                for (int k = 0; k < 4; k++) sb.append(String.format(java.util.Locale.ROOT, ",%.9f,%.9f", x[w + k] - x[w], y[w + k] - y[w]));
                sb.append('\n');
            }
        }
        return TrajectoryData.read(Files.writeString(tmp.resolve("walks.csv"), sb), LABELS);
    }

    @Test
    void chainsAreRunsOfWindowsShiftedByOnePoint() throws Exception {
        TrajectoryData d = walks(5, 3, 4, 1, 6);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 4, 4, 4, 4, 4, 4}, d.chains());
    }

    @Test
    void theChainSplitKeepsChainsWholeAndPurgesTheirNeighbours() throws Exception {
        int[] runs = new int[40];
        for (int i = 0; i < runs.length; i++) runs[i] = 3 + i % 7;
        TrajectoryData d = walks(runs);
        int[] chain = d.chains();
        TrajectoryData.Split s = d.chainSplit(0.25, 1, 2);
        assertEquals(d.rows(), s.train().length + s.heldOut().length + s.purged().length, "every row once");
        boolean[] held = new boolean[d.rows()];
        for (int r : s.heldOut()) held[r] = true;
        for (int r = 1; r < d.rows(); r++) {
            if (chain[r] == chain[r - 1]) assertEquals(held[r - 1], held[r], "chain " + chain[r] + " split at row " + r);
        }
        for (int r : s.train()) {
            for (int q = Math.max(0, r - 2); q <= Math.min(d.rows() - 1, r + 2); q++) assertTrue(!held[q], "train row " + r + " within 2 of held-out " + q);
        }
        assertTrue(s.purged().length > 0, "something to purge");
        for (int c = 0; c < 2; c++) {
            int cc = c;
            long all = Arrays.stream(d.classOf()).filter(k -> k == cc).count();
            long h = Arrays.stream(s.heldOut()).filter(r -> d.classOf()[r] == cc).count();
            assertTrue(h >= Math.round(all * 0.25) && h <= Math.round(all * 0.25) + 9, "class " + c + ": " + h + " of " + all + " held out");
        }
        assertArrayEquals(s.heldOut(), d.chainSplit(0.25, 1, 2).heldOut(), "same seed, same split");
        assertTrue(!Arrays.equals(s.heldOut(), d.chainSplit(0.25, 2, 2).heldOut()), "another seed, another split");
    }
}
