package io.vigil.spatiotemporal.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteTrackerTest {
    private static float[] box(double cx, double cy, double w, double h) {
        return new float[] {(float) (cx - w / 2), (float) (cy - h / 2), (float) (cx + w / 2), (float) (cy + h / 2)};
    }

    @Test
    void twoWalkersKeepTheirIdsAndVelocities() {
        ByteTracker t = new ByteTracker(ByteTracker.Config.defaults());
        long a = -1, b = -1;
        for (int f = 0; f < 30; f++) {
            float[][] boxes = {box(100 + 5 * f, 200, 30, 80), box(400 - 3 * f, 220, 30, 80)};
            List<TrackedBox> out = t.update(boxes, new float[] {0.9f, 0.8f}, new int[] {0, 0});
            if (f == 0) {
                a = out.get(0).trackId();
                b = out.get(1).trackId();
                assertTrue(a > 0 && b > 0 && a != b, "first frame: tracks start confirmed");
            } else {
                assertEquals(a, out.get(0).trackId(), "frame " + f);
                assertEquals(b, out.get(1).trackId(), "frame " + f);
            }
            if (f > 10) {
                assertEquals(5, out.get(0).vx(), 0.5, "walker a moves 5 px per frame");
                assertEquals(-3, out.get(1).vx(), 0.5);
            }
        }
    }

    @Test
    void lowScoreDetectionKeepsAnOccludedTrack() {
        ByteTracker t = new ByteTracker(ByteTracker.Config.defaults());
        long id = t.update(new float[][] {box(100, 100, 40, 90)}, new float[] {0.9f}, new int[] {0}).get(0).trackId();
        for (int f = 1; f < 5; f++) t.update(new float[][] {box(100 + 2 * f, 100, 40, 90)}, new float[] {0.9f}, new int[] {0});
        // half hidden: the detector is unsure (0.3), the track keeps it
        List<TrackedBox> occluded = t.update(new float[][] {box(110, 100, 40, 90)}, new float[] {0.3f}, new int[] {0});
        assertEquals(id, occluded.get(0).trackId());
        // a low-score box far away starts nothing
        List<TrackedBox> noise = t.update(new float[][] {box(112, 100, 40, 90), box(600, 400, 20, 20)}, new float[] {0.9f, 0.3f}, new int[] {0, 0});
        assertEquals(id, noise.get(0).trackId());
        assertEquals(-1, noise.get(1).trackId());
    }

    @Test
    void newTracksNeedTwoHitsAndLostTracksExpire() {
        ByteTracker t = new ByteTracker(new ByteTracker.Config(0.5f, 0.1f, 0.6f, 0.2f, 0.5f, 3, 2));
        t.update(new float[0][], new float[0], new int[0]); // frame 1: nothing
        assertEquals(-1, t.update(new float[][] {box(50, 50, 20, 40)}, new float[] {0.9f}, new int[] {0}).get(0).trackId());
        long id = t.update(new float[][] {box(51, 50, 20, 40)}, new float[] {0.9f}, new int[] {0}).get(0).trackId();
        assertTrue(id > 0, "confirmed on the second hit");
        for (int f = 0; f < 3; f++) t.update(new float[0][], new float[0], new int[0]);
        assertEquals(1, t.tracks().size(), "kept while lost for maxLost frames");
        assertEquals(Track.State.LOST, t.tracks().get(0).state());
        long again = t.update(new float[][] {box(52, 50, 20, 40)}, new float[] {0.9f}, new int[] {0}).get(0).trackId();
        assertEquals(id, again, "re-found within maxLost");
        for (int f = 0; f < 5; f++) t.update(new float[0][], new float[0], new int[0]);
        assertEquals(0, t.tracks().size(), "removed after maxLost");
        long fresh = t.update(new float[][] {box(52, 50, 20, 40)}, new float[] {0.9f}, new int[] {0}).get(0).trackId();
        assertEquals(-1, fresh);
    }

    @Test
    void classesDoNotMix() {
        ByteTracker t = new ByteTracker(ByteTracker.Config.defaults());
        List<TrackedBox> out = t.update(new float[][] {box(100, 100, 40, 40), box(100, 100, 40, 40)}, new float[] {0.9f, 0.8f}, new int[] {0, 2});
        assertNotEquals(out.get(0).trackId(), out.get(1).trackId());
        List<TrackedBox> next = t.update(new float[][] {box(101, 100, 40, 40), box(101, 100, 40, 40)}, new float[] {0.9f, 0.8f}, new int[] {2, 0});
        assertEquals(out.get(1).trackId(), next.get(0).trackId());
        assertEquals(out.get(0).trackId(), next.get(1).trackId());
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        ByteTracker a = new ByteTracker(ByteTracker.Config.defaults());
        for (int f = 0; f < 10; f++) a.update(new float[][] {box(100 + 4 * f, 200, 30, 80), box(300, 50 + f, 20, 40)}, new float[] {0.9f, 0.7f}, new int[] {0, 0});
        ByteTracker b = ByteTracker.fromBytes(a.toBytes(), ByteTracker.Config.defaults());
        assertArrayEquals(a.toBytes(), b.toBytes());
        for (int f = 10; f < 20; f++) {
            float[][] boxes = {box(100 + 4 * f, 200, 30, 80), box(300, 50 + f, 20, 40)};
            assertEquals(a.update(boxes, new float[] {0.9f, 0.7f}, new int[] {0, 0}), b.update(boxes, new float[] {0.9f, 0.7f}, new int[] {0, 0}));
        }
        assertThrows(IllegalArgumentException.class, () -> ByteTracker.fromBytes(new byte[] {1, 2, 3, 4, 5, 6}, ByteTracker.Config.defaults()));
    }
}
