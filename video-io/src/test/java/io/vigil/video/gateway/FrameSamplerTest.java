package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameSamplerTest {
    private static int kept(double src, double target, int frames) {
        FrameSampler s = new FrameSampler(src, target);
        int n = 0;
        for (int i = 0; i < frames; i++) if (s.keep(i)) n++;
        return n;
    }

    @Test
    void halvesExactly() {
        FrameSampler s = new FrameSampler(10, 5);
        for (int i = 0; i < 20; i++) assertEquals(i % 2 == 0, s.keep(i), "frame " + i);
    }

    @Test
    void reachesOddTargets() {
        assertEquals(100, kept(25, 10, 250), 1);
        assertEquals(300, kept(30, 1, 9000), 1);
        assertEquals(250, kept(25, 0, 250));
        assertEquals(250, kept(25, 60, 250));
        assertTrue(new FrameSampler(25, 0).keepsAll());
    }
}
