package io.vigil.lab.soak;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineSoakTest {
    private static List<PipelineSoak.Row> rows(long heapStart, long heapEnd, int threadsEnd, int filesEnd) {
        List<PipelineSoak.Row> r = new ArrayList<>();
        for (int m = 1; m <= 20; m++) {
            long heap = m < 10 ? heapStart : heapStart + (heapEnd - heapStart) * (m - 10) / 10;
            r.add(new PipelineSoak.Row(m, new ProcessSample(heap, 0, -1, 900L << 20, m == 20 ? threadsEnd : 100, m == 20 ? filesEnd : 200, m * 3),
                    0, m * 1000L, m * 1000L, 80, 120));
        }
        return r;
    }

    private static String verdict(List<PipelineSoak.Row> rows, boolean expectPass) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        boolean pass = PipelineSoak.verdict(rows, new PipelineSoak.Options(Path.of("m"), 4, 5, 20, 10, 5), new PrintStream(b, true, StandardCharsets.UTF_8));
        String text = b.toString(StandardCharsets.UTF_8);
        assertTrue(pass == expectPass, text);
        return text;
    }

    @Test
    void flatIsAPassAndGrowthOrLeaksAreAFail() {
        assertTrue(verdict(rows(300L << 20, 303L << 20, 101, 200), true).contains("PASS"));
        assertTrue(verdict(rows(300L << 20, 330L << 20, 100, 200), false).contains("heap after GC +"));
        assertFalse(verdict(rows(300L << 20, 300L << 20, 120, 200), false).contains("PASS"), "threads grew");
        assertFalse(verdict(rows(300L << 20, 300L << 20, 100, 260), false).contains("PASS"), "open files grew");
    }

    @Test
    void aSampleOfThisJvmReadsEveryFigure() throws Exception {
        ProcessSample s = ProcessSample.take(Path.of("/nonexistent"));
        assertTrue(s.heapAfterGcBytes() > 0 && s.rssBytes() > s.heapAfterGcBytes() && s.threads() > 0 && s.openFiles() > 0, s.toString());
    }
}
