package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScanCommandTest {
    @Test
    void printsHRowsOfWNumbers() {
        CliRun r = CliRun.of("scan", "--path", "hilbert", "--grid", "6x8");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().trim().split("\n");
        assertEquals(6, lines.length);
        int[] all = Arrays.stream(r.out().trim().split("\\s+")).mapToInt(Integer::parseInt).sorted().toArray();
        assertEquals(48, all.length);
        for (int i = 0; i < 48; i++) assertEquals(i, all[i]);
        for (String l : lines) assertEquals(8, l.trim().split("\\s+").length);
    }

    @Test
    void zigzagOn2x3() {
        CliRun r = CliRun.of("scan", "--path", "zigzag", "--grid", "2x3");
        assertEquals("0 1 2\n5 4 3\n", r.out());
    }

    @Test
    void listsEveryPath() {
        CliRun r = CliRun.of("scan", "--list");
        for (String p : new String[] {"raster", "zigzag", "diagonal", "spiral", "radial", "hilbert", "bidirectional", "cross-scan",
                "omnidirectional", "local", "atrous", "continuous", "hierarchical", "spatiotemporal"}) {
            assertTrue(r.out().contains(p + " "), p + " missing from\n" + r.out());
        }
    }

    @Test
    void badGridAndPathAreNamed() {
        CliRun g = CliRun.of("scan", "--grid", "6by8");
        assertEquals(2, g.exitCode());
        assertTrue(g.err().contains("--grid"), g.err());
        CliRun p = CliRun.of("scan", "--path", "peano");
        assertEquals(2, p.exitCode());
        assertTrue(p.err().contains("unknown scan path 'peano'"), p.err());
    }
}
