package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MotionLabelsTest {
    @Test
    void kappaIsOneForPerfectZeroForAConstantAndMatchesAWorkedExample() {
        List<Boolean> truth = List.of(true, true, true, false, false, true, false, true, true, true);
        assertEquals(1.0, MotionLabels.score(truth, truth).kappa(), 1e-12);
        assertEquals(0.0, MotionLabels.score(truth, Collections.nCopies(10, true)).kappa(), 1e-12);
        assertEquals(0.7, MotionLabels.score(truth, Collections.nCopies(10, true)).accuracy(), 1e-12);
        // 2x2: truth moving 7 (pred 6 moving, 1 standing), standing 3 (pred 1 moving, 2 standing): po 0.8,
        // pe = 0.7·0.7 + 0.3·0.3 = 0.58, kappa = 0.22 / 0.42
        List<Boolean> pred = List.of(true, true, true, false, true, true, false, false, true, true);
        MotionLabels.Score s = MotionLabels.score(truth, pred);
        assertEquals(0.8, s.accuracy(), 1e-12);
        assertEquals(0.22 / 0.42, s.kappa(), 1e-12);
        assertEquals(2.0 / 3, s.standingRecall(), 1e-12);
    }

    @Test
    void theCommittedLabelsLoadAndMatchByPosition() throws Exception {
        MotionLabels l = MotionLabels.load();
        // the man standing by the lamp post at frame 100, and the first walker at frame 0 (tests/labels/README.md)
        Boolean lamp = l.movingAt(100, 390, 220);
        assertTrue(lamp != null && !lamp, "standing at the lamp post");
        Boolean walker = l.movingAt(0, 663, 281);
        assertTrue(walker != null && walker, "walking");
        assertNull(l.movingAt(100, 20, 560), "nobody on the lawn");
        assertFalse(l.movingAt(250, 50, 208), "the man who stops at the left edge");
    }
}
