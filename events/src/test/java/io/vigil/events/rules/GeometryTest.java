package io.vigil.events.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeometryTest {
    @Test
    void rightOfALineIsBelowItWhenTheLineRunsLeftToRightOnScreen() {
        assertEquals(1, Geometry.side(0, 0, 1, 0, 0.5, 1), "y down: below a left-to-right line is its right");
        assertEquals(-1, Geometry.side(0, 0, 1, 0, 0.5, -1));
        assertEquals(0, Geometry.side(0, 0, 1, 0, 0.5, 0));
        assertEquals(-1, Geometry.side(1, 0, 0, 0, 0.5, 1), "reversing A and B swaps the sides");
        assertTrue(Geometry.withinSegment(0.2, 0.5, 0.8, 0.5, 0.5, 0.9));
        assertFalse(Geometry.withinSegment(0.2, 0.5, 0.8, 0.5, 0.9, 0.9));
    }

    @Test
    void pointsInPolygonsAndSelfIntersection() {
        double[][] square = {{0.1, 0.1}, {0.5, 0.1}, {0.5, 0.5}, {0.1, 0.5}};
        assertTrue(Geometry.contains(square, 0.3, 0.3));
        assertFalse(Geometry.contains(square, 0.6, 0.3));
        double[][] concave = {{0, 0}, {1, 0}, {1, 1}, {0.5, 0.4}, {0, 1}}; // a notch from the bottom
        assertTrue(Geometry.contains(concave, 0.2, 0.3));
        assertFalse(Geometry.contains(concave, 0.5, 0.8));
        assertTrue(Geometry.isSimple(square));
        assertTrue(Geometry.isSimple(concave));
        assertFalse(Geometry.isSimple(new double[][] {{0, 0}, {1, 1}, {1, 0}, {0, 1}}), "a bow tie crosses itself");
        assertFalse(Geometry.isSimple(new double[][] {{0, 0}, {0.5, 0.5}, {1, 1}}), "no area");
    }

    @Test
    void aHomographyMapsItsFourPointsAndTheLinesBetween() {
        double[][] image = {{0.2, 0.5}, {0.8, 0.5}, {0.9, 0.9}, {0.1, 0.9}}; // a trapezoid: the far edge is shorter
        double[][] ground = {{0, 10}, {6, 10}, {6, 0}, {0, 0}};              // a 6 m x 10 m rectangle
        Homography h = Homography.fit(image, ground);
        double[] g = new double[2];
        for (int i = 0; i < 4; i++) {
            h.apply(image[i][0], image[i][1], g);
            assertArrayEquals(ground[i], g, 1e-9);
        }
        h.apply(0.5, 0.9, g); // the middle of the near edge
        assertArrayEquals(new double[] {3, 0}, g, 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Homography.fit(new double[][] {{0, 0}, {0.5, 0}, {1, 0}, {0, 1}}, ground));
    }
}
