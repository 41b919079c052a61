package io.vigil.video.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MotionMaskTest {
    @Test
    void parsesRasterizesAndFormatsPolygons() {
        List<double[][]> p = MotionMask.parse("0,0 0.5,0 0.5,0.5 0,0.5; 0.75,0.75 1,0.75 1,1");
        assertEquals(2, p.size());
        boolean[] m = MotionMask.rasterize(p, 8, 8);
        int inside = 0;
        for (boolean b : m) if (b) inside++;
        assertEquals(16 + 3, inside, "the 4x4 quarter, and the 3 of the triangle's 4 pixel centres on or right of its diagonal");
        assertTrue(m[0] && m[3 * 8 + 3] && !m[4 * 8 + 4]);
        assertEquals(p.size(), MotionMask.parse(MotionMask.format(p)).size());
        assertNull(MotionMask.rasterize(MotionMask.parse(""), 8, 8));
    }

    @Test
    void aBadMaskSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MotionMask.parse("0,0 1,1")).getMessage().contains("fewer than 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MotionMask.parse("0,0 1,1 2,0")).getMessage().contains("outside 0..1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MotionMask.parse("0,0 1,1 0")).getMessage().contains("not x,y"));
    }
}
