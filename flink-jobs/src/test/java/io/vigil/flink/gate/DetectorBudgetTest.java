package io.vigil.flink.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class DetectorBudgetTest {
    /** Cameras offering fps frames/s each, for ms milliseconds of capture time from t0. */
    private static void offer(DetectorBudget b, String camera, double weight, double fps, long t0, long ms) {
        for (long t = 0; t <= ms; t += (long) (1000 / fps)) b.arrived(camera, weight, (t0 + t) * 1000, t0 + t);
    }

    /** A window of frames of the given age ending at {@code endMs}: the last one closes it and decides. */
    private static void window(DetectorBudget b, long ageMs, long endMs) {
        for (long t = endMs - DetectorBudget.WINDOW_MS; t <= endMs; t += 50) b.observeAge(ageMs, 500, t);
    }

    @Test
    void waterFillingGivesWhatACameraCannotUseToTheOthersByWeight() {
        DetectorBudget b = new DetectorBudget();
        offer(b, "slow", 1, 2, 0, 2000);   // offers 2 frames/s
        offer(b, "a", 1, 25, 0, 2000);
        offer(b, "b", 2, 25, 0, 2000);
        for (int i = 0; i < 20; i++) b.ran(1990 - i * 50L, 50); // the detector did 20 runs in the last second
        window(b, 800, 2000);                                  // late: R = 0.8 x 20 = 16
        assertEquals(16, b.rate(), 1e-9);
        // slow takes its 2; a and b split the 14 left 1:2
        assertEquals(1.0, b.share("slow", 2000), 0.05);
        assertEquals(14.0 / 3 / 25, b.share("a", 2000), 0.01);
        assertEquals(28.0 / 3 / 25, b.share("b", 2000), 0.01);
    }

    @Test
    void aMotionGatedCameraIsServedWhatItAsksForNotWhatItOffers() {
        DetectorBudget b = new DetectorBudget();
        for (long t = 0; t <= 4000; t += 100) {
            b.arrived("quiet", 1, t * 1000, t, t % 1000 == 0, 1); // one frame in ten gets past motion gating
            b.arrived("busy", 1, t * 1000, t, true, 1);
        }
        for (int i = 0; i < 20; i++) b.ran(3990 - i * 40L, 50);
        window(b, 900, 4000); // R = 0.8 x 20 = 16: less than the 10 + 10 offered, more than the ~11 asked
        assertEquals(16, b.rate(), 1e-9);
        assertEquals(1.0, b.share("quiet", 4000), 1e-9, "every frame that passes its motion gating runs");
        assertEquals(1.0, b.share("busy", 4000), 1e-9, "the quiet camera's unused half goes to the busy one");
    }

    @Test
    void aWindowWithManyLateFramesCutsOnceAFewStragglersDoNotAndFreshWindowsGrowAdditively() {
        DetectorBudget b = new DetectorBudget();
        offer(b, "a", 1, 10, 0, 1000);
        for (int i = 0; i < 10; i++) b.ran(900 + i * 10L, 50);
        window(b, 900, 1000);
        assertEquals(8, b.rate(), 1e-9, "a late window: R = 0.8 x the 10 runs of the last second");
        // the next window: 10 frames, one of them late (a GC pause): not a queue, no cut
        for (long t = 1050; t < 1500; t += 50) b.observeAge(100, 500, t);
        b.observeAge(2000, 500, 1500);
        assertEquals(8 + 0.1 * 20 * 0.5, b.rate(), 1e-9, "one straggler in ten: + 10 % of what the detector can do (20/s) per second");
        window(b, 100, 2000);
        assertEquals(8 + 0.1 * 20 * 1.0, b.rate(), 1e-9, "fresh frames: additive increase");
        assertEquals(1.0, new DetectorBudget().share("never-seen", 0), 1e-9, "no budget until frames come late");
        DetectorBudget idle = new DetectorBudget();
        offer(idle, "a", 1, 10, 0, 1000);
        for (int i = 0; i < 3; i++) idle.ran(900 + i * 10L, 50); // busy 150 ms of the last second
        window(idle, 900, 1000);
        assertEquals(Double.POSITIVE_INFINITY, idle.rate(), "late frames with an idle detector: not the detector's fault, no cut");
    }

    @Test
    void twoRunsAtATimeDoubleTheCapacityAndHalveHowBusyTheDetectorLooks() {
        DetectorBudget b = new DetectorBudget();
        b.parallelRuns(2);
        offer(b, "a", 1, 10, 0, 1000);
        for (int i = 0; i < 12; i++) b.ran(900 + i * 5L, 50); // 12 runs of 50 ms in the last second: 60 % of one runner, 30 % of two
        assertEquals(40, b.capacity(), 1e-9);
        window(b, 900, 1000);
        assertEquals(Double.POSITIVE_INFINITY, b.rate(), "busy 30 %: late frames are not the detector's fault");
        for (int i = 0; i < 12; i++) b.ran(1900 + i * 5L, 50);
        for (int i = 0; i < 12; i++) b.ran(1950 + i * 2L, 50); // 24 runs: busy 60 %
        window(b, 900, 2000);
        assertEquals(0.8 * 24, b.rate(), 1e-9, "busy and late: cut to 0.8 x what it did");
    }

    @Test
    void onAFluidQueueTheAgeSettlesUnderTheTargetAndEveryCameraGetsItsShare() {
        // 8 cameras at 25 fps (200 frames/s) into a detector of 40 runs/s; skipped frames cost nothing
        DetectorBudget b = new DetectorBudget();
        GateState[] g = new GateState[8];
        for (int i = 0; i < 8; i++) g[i] = new GateState();
        DetectGate gate = new DetectGate(new DetectGate.Settings(1, false, 1000, 50));
        double backlog = 0; // seconds of detector work queued
        int[] runs = new int[8];
        long maxAgeLate = 0;
        for (int tick = 0; tick < 25 * 120; tick++) { // 120 s at 25 fps
            long now = tick * 40L;
            backlog = Math.max(0, backlog - 0.040);
            for (int c = 0; c < 8; c++) {
                long age = (long) (backlog * 1000);
                b.arrived("c" + c, 1, now * 1000, now);
                b.observeAge(age, 500, now);
                if (gate.decide(g[c], tick, 1, b.share("c" + c, now), age, false) == io.vigil.events.Inference.FULL) {
                    b.ran(now, 25);
                    backlog += 1.0 / 40;
                    if (tick > 25 * 60) runs[c]++;
                }
                if (tick > 25 * 60) maxAgeLate = Math.max(maxAgeLate, age);
            }
        }
        int total = 0, min = Integer.MAX_VALUE;
        for (int r : runs) {
            total += r;
            min = Math.min(min, r);
        }
        System.out.printf(Locale.ROOT, "fluid queue, last 60 s: %.1f runs/s of 40, min camera %d of mean %.0f, max age %d ms%n",
                total / 60.0, min, total / 8.0, maxAgeLate);
        assertTrue(total / 60.0 > 30, "the detector stays busy: " + total / 60.0 + " runs/s");
        assertTrue(min >= 0.9 * total / 8.0, "every camera near an equal share: min " + min + " of " + total / 8.0);
        assertTrue(maxAgeLate <= 1000, "frames stay under the limit: " + maxAgeLate);
    }
}
