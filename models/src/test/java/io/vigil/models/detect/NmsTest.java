package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
    private static Candidates sample() {
        Candidates c = new Candidates();
        c.add(0, 0.9f, 0, 0, 10, 10);
        c.add(0, 0.8f, 1, 1, 11, 11);     // IoU with the first 0.68: suppressed
        c.add(0, 0.7f, 20, 20, 30, 30);   // elsewhere: kept
        c.add(1, 0.85f, 0, 0, 10, 10);    // another class on the same spot
        return c;
    }

    @Test
    void classAwareKeepsOtherClassesOnTheSameSpot() {
        List<Detection> kept = Nms.apply(sample(), 0.45f, true, List.of("person", "car"));
        assertEquals(3, kept.size());
        assertEquals(0.9f, kept.get(0).score());
        assertEquals("car", kept.get(1).label());
        assertEquals(0.7f, kept.get(2).score());
    }

    @Test
    void classAgnosticKeepsOneBoxPerObject() {
        List<Detection> kept = Nms.apply(sample(), 0.45f, false, List.of("person", "car"));
        assertEquals(2, kept.size());
        assertEquals("person", kept.get(0).label());
        assertEquals(0.7f, kept.get(1).score());
    }

    @Test
    void thresholdIsStrict() {
        Candidates c = new Candidates();
        c.add(0, 0.9f, 0, 0, 10, 10);
        c.add(0, 0.8f, 0, 0, 10, 5);     // IoU exactly 0.5
        assertEquals(2, Nms.apply(c, 0.5f, true, List.of()).size());
        assertEquals(1, Nms.apply(c, 0.49f, true, List.of()).size());
        assertEquals("class0", Nms.apply(c, 0.49f, true, List.of()).get(0).label());
    }

    @Test
    void manyCandidatesGrowTheBuffers() {
        Candidates c = new Candidates();
        for (int i = 0; i < 1000; i++) c.add(0, i / 1000f, i * 20, 0, i * 20 + 10, 10);
        assertEquals(1000, Nms.apply(c, 0.45f, true, List.of()).size());
    }
}
