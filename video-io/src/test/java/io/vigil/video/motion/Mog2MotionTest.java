package io.vigil.video.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Mog2MotionTest {
    private static final int W = 96, H = 72;

    private static byte[] still(long seed) {
        byte[] g = new byte[W * H];
        Random r = new Random(seed);
        for (int i = 0; i < g.length; i++) g[i] = (byte) (100 + r.nextInt(5)); // sensor noise of a few levels
        return g;
    }

    private static byte[] withBlock(byte[] base, int x0, int y0, int size, int level) {
        byte[] g = base.clone();
        for (int y = y0; y < y0 + size; y++) for (int x = x0; x < x0 + size; x++) g[y * W + x] = (byte) level;
        return g;
    }

    @Test
    void aStillSceneIsQuietAfterWarmUpAndAMovingBlockIsMotion() {
        try (Mog2Motion m = new Mog2Motion(0.001, 5)) {
            for (int i = 0; i < 5; i++) assertTrue(m.update(still(i), W, H, null).warmingUp(), "frame " + i + " learns");
            for (int i = 5; i < 40; i++) assertFalse(m.update(still(i), W, H, null).motion(), "noise, frame " + i);
            MotionDetector.Result r = m.update(withBlock(still(40), 10, 10, 6, 220), W, H, null);
            assertTrue(r.motion());
            assertEquals(1, r.regions());
            assertFalse(m.update(withBlock(still(41), 50, 50, 1, 220), W, H, null).motion(), "one pixel is under minArea");
        }
    }

    @Test
    void aBackgroundThatAlternatesIsLearntWhereARunningAverageKeepsSeeingMotion() {
        // a patch flipping between two levels, like leaves against the sky: both are background
        MotionDetector average = new MotionDetector(MotionDetector.Settings.defaults());
        MotionDetector.State st = new MotionDetector.State();
        int mogMotion = 0, averageMotion = 0;
        try (Mog2Motion m = new Mog2Motion(0.001, 5)) {
            for (int i = 0; i < 200; i++) {
                byte[] g = withBlock(still(i), 20, 20, 12, i % 2 == 0 ? 60 : 200);
                boolean a = average.update(st, g, W, H, null).motion();
                boolean b = m.update(g, W, H, null).motion();
                if (i >= 100) {
                    if (a) averageMotion++;
                    if (b) mogMotion++;
                }
            }
        }
        assertEquals(100, averageMotion, "the running average sits between the two levels: always far from both");
        assertEquals(0, mogMotion, "MOG2 keeps one Gaussian per level");
    }

    @Test
    void motionInsideTheMaskDoesNotCountAndANewSizeStartsOver() {
        boolean[] mask = MotionMask.rasterize(MotionMask.parse("0,0 0.5,0 0.5,0.5 0,0.5"), W, H);
        try (Mog2Motion m = new Mog2Motion(0.001, 5)) {
            for (int i = 0; i < 30; i++) m.update(still(i), W, H, mask);
            assertFalse(m.update(withBlock(still(30), 5, 5, 10, 220), W, H, mask).motion(), "the tree waves");
            assertTrue(m.update(withBlock(still(31), 70, 50, 10, 220), W, H, mask).motion(), "someone walks elsewhere");
            assertTrue(m.update(new byte[48 * 36], 48, 36, null).warmingUp(), "another size: learnt again");
            assertEquals(1, m.frames());
        }
        assertThrows(IllegalArgumentException.class, () -> new Mog2Motion(0, 5));
    }
}
