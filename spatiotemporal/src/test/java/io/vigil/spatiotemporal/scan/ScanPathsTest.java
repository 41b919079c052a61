package io.vigil.spatiotemporal.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanPathsTest {
    /** Grid sizes: tiny, odd, even, non-square both ways, prime. */
    static List<int[]> grids() {
        List<int[]> g = new ArrayList<>();
        for (int r = 1; r <= 9; r++) for (int c = 1; c <= 9; c++) g.add(new int[] {r, c});
        int[][] more = {{14, 14}, {13, 17}, {17, 13}, {6, 8}, {8, 6}, {16, 16}, {31, 7}, {7, 31}, {24, 33}, {2, 50}};
        for (int[] m : more) g.add(m);
        return g;
    }

    @Test
    void everyDirectionOfEveryPathIsAPermutation() {
        for (String path : ScanPaths.DESCRIPTIONS.keySet()) {
            for (int[] g : grids()) {
                ScanPlan plan = ScanPaths.create(path, g[0], g[1], 3, 2);
                assertEquals(g[0] * g[1], plan.tokens());
                for (ScanDirection d : plan.directions()) {
                    boolean[] seen = new boolean[d.rows() * d.cols()];
                    for (int idx : d.order()) {
                        assertTrue(idx >= 0 && idx < seen.length, path + " " + g[0] + "x" + g[1] + " " + d.name() + ": index " + idx);
                        assertTrue(!seen[idx], path + " " + g[0] + "x" + g[1] + " " + d.name() + ": index " + idx + " visited twice");
                        seen[idx] = true;
                    }
                    assertEquals(seen.length, d.order().length);
                    if (d.scale() == 1) {
                        assertEquals(g[0], d.rows());
                        assertEquals(g[1], d.cols());
                    } else {
                        assertEquals(ScanPaths.ceilDiv(g[0], d.scale()), d.rows());
                    }
                }
            }
        }
    }

    @Test
    void snakesAndSpiralKeepNeighboursAdjacent() {
        for (int[] g : grids()) {
            assertEquals(0, diagonalOrLongSteps(ScanPaths.create("zigzag", g[0], g[1]).directions().get(0)), "zigzag " + g[0] + "x" + g[1]);
            assertEquals(0, diagonalOrLongSteps(ScanPaths.create("spiral", g[0], g[1]).directions().get(0)), "spiral " + g[0] + "x" + g[1]);
            for (ScanDirection d : ScanPaths.create("continuous", g[0], g[1]).directions()) {
                assertEquals(0, diagonalOrLongSteps(d), "continuous " + d.name() + " " + g[0] + "x" + g[1]);
            }
        }
    }

    @Test
    void hilbertIsContinuousExceptOneDiagonalOnOddByEvenGrids() {
        for (int r = 1; r <= 40; r++) {
            for (int c = 1; c <= 40; c++) {
                ScanDirection d = ScanPaths.create("hilbert", r, c).directions().get(0);
                int[] steps = stepKinds(d);
                assertEquals(0, steps[2], "hilbert " + r + "x" + c + ": a step longer than one cell");
                boolean mixedParity = (r % 2) != (c % 2);
                assertTrue(steps[1] <= (mixedParity ? 1 : 0), "hilbert " + r + "x" + c + ": " + steps[1] + " diagonal steps");
            }
        }
    }

    @Test
    void knownSmallOrders() {
        assertArrayEquals(new int[] {0, 1, 2, 5, 4, 3}, ScanPaths.create("zigzag", 2, 3).directions().get(0).order());
        assertArrayEquals(new int[] {0, 2, 3, 1}, ScanPaths.create("hilbert", 2, 2).directions().get(0).order());
        assertArrayEquals(new int[] {0, 1, 3, 2, 4, 6, 5, 7, 8}, ScanPaths.create("diagonal", 3, 3).directions().get(0).order());
        assertArrayEquals(new int[] {0, 3, 1, 2, 4, 6, 7, 5, 8}, ScanPaths.create("diagonal-alt", 3, 3).directions().get(0).order());
        assertArrayEquals(new int[] {0, 1, 4, 5, 2, 3, 6, 7}, ScanPaths.create("local", 2, 4, 2, 2).directions().get(0).order());
        assertArrayEquals(new int[] {0, 2, 1, 3, 4, 6, 5, 7}, ScanPaths.create("atrous", 2, 4, 2, 2).directions().get(0).order());
        // 3x3 spiral from the centre: 4, then clockwise outwards ending at the top-left corner
        int[] spiral = ScanPaths.create("spiral", 3, 3).directions().get(0).order();
        assertEquals(4, spiral[0]);
        assertEquals(0, spiral[8]);
        int[] radial = ScanPaths.create("radial", 3, 3).directions().get(0).order();
        assertEquals(4, radial[0]);
        assertEquals(4, ScanPaths.create("cross-scan", 5, 7).directions().size());
        assertEquals(8, ScanPaths.create("omnidirectional", 5, 7).directions().size());
        ScanPlan bi = ScanPaths.create("bidirectional", 2, 2);
        assertArrayEquals(new int[] {3, 2, 1, 0}, bi.directions().get(1).order());
        ScanPlan h = ScanPaths.create("hierarchical", 8, 8);
        assertEquals(List.of(1, 2, 4), h.directions().stream().map(ScanDirection::scale).toList());
        assertEquals(2, h.directions().get(2).rows()); // 8 rows pooled by 4
    }

    @Test
    void printsGridsAsHRowsOfWNumbers() {
        String s = ScanPrinter.render(ScanPaths.create("zigzag", 2, 3));
        assertEquals("0 1 2\n5 4 3\n", s);
        String h = ScanPrinter.render(ScanPaths.create("hilbert", 6, 8));
        assertEquals(6, h.split("\n").length);
        assertEquals(8, h.split("\n")[0].trim().split("\\s+").length);
        String cross = ScanPrinter.render(ScanPaths.create("cross-scan", 2, 2));
        assertTrue(cross.contains("# direction 3: columns-backward"), cross);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScanPaths.create("peano", 4, 4));
        assertTrue(e.getMessage().contains("peano") && e.getMessage().contains("hilbert"));
        assertThrows(IllegalArgumentException.class, () -> ScanPaths.create("raster", 0, 4));
        assertThrows(IllegalArgumentException.class, () -> ScanPaths.create("local", 4, 4, 0, 2));
    }

    /** Count of steps between consecutive cells that are not 4-neighbours. */
    private static int diagonalOrLongSteps(ScanDirection d) {
        int[] k = stepKinds(d);
        return k[1] + k[2];
    }

    /** [adjacent, diagonal, longer] step counts. */
    private static int[] stepKinds(ScanDirection d) {
        int[] kinds = new int[3];
        int[] o = d.order();
        for (int i = 1; i < o.length; i++) {
            int dr = Math.abs(o[i] / d.cols() - o[i - 1] / d.cols());
            int dc = Math.abs(o[i] % d.cols() - o[i - 1] % d.cols());
            if (dr + dc == 1) kinds[0]++;
            else if (dr == 1 && dc == 1) kinds[1]++;
            else kinds[2]++;
        }
        return kinds;
    }
}
