package io.vigil.flink.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.event.DetectionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectGateTest {
    private static DetectGate gate(int every, boolean motion, long maxAgeMs) {
        return new DetectGate(new DetectGate.Settings(every, motion, maxAgeMs, 10, 0.02, 0.05));
    }

    @Test
    void anIntervalOfThreeRunsEveryThirdFrame() {
        DetectGate g = gate(3, false, 0);
        GateState s = new GateState();
        List<String> got = new ArrayList<>();
        for (int seq = 0; seq < 9; seq++) got.add(g.decide(s, seq, 3, 1, 0, true, 1000 + seq * 100L));
        assertEquals(List.of("full", "interval", "interval", "full", "interval", "interval", "full", "interval", "interval"), got);
    }

    @Test
    void oneLateBurstHalvesTheShareOnceAndFreshFramesWinItBack() {
        DetectGate g = gate(1, false, 1000);
        GateState s = new GateState();
        long t = 10_000;
        // ten frames too old in 100 ms: one cut, not ten
        for (int i = 0; i < 10; i++) assertEquals(DetectionEvent.OVERLOAD, g.decide(s, i, 1, 1, 1500, false, t + i * 10));
        assertEquals(0.5, s.share, 1e-9);
        // still late 1 s later: a second cut
        g.decide(s, 10, 1, 1, 1500, false, t + 1100);
        assertEquals(0.25, s.share, 1e-9);
        // fresh frames for 10 s at 10 fps: +0.05 per second
        int runs = 0;
        for (int i = 0; i < 100; i++) if (g.decide(s, 11 + i, 1, 1, 50, false, t + 1200 + i * 100L).equals(DetectionEvent.FULL)) runs++;
        assertEquals(0.75, s.share, 0.01, "additive increase");
        assertTrue(runs > 40 && runs < 60, "half the frames ran on the way back up: " + runs);
        for (int i = 0; i < 100; i++) g.decide(s, 200 + i, 1, 1, 50, false, t + 12_000 + i * 100L);
        assertEquals(1.0, s.share, 1e-9, "back to every frame, never above 1/every");
    }

    @Test
    void competingCamerasConvergeToSharesProportionalToTheirWeights() {
        // two cameras at 10 fps share a detector that can take 6 frames/s; frames come late whenever the detector is
        // asked for more than it can do (a fluid model of the queue)
        DetectGate g = gate(1, false, 1000);
        GateState a = new GateState(), b = new GateState();
        double capacity = 6, backlog = 0;
        long now = 0;
        double sumA = 0, sumB = 0;
        int samples = 0;
        for (int tick = 0; tick < 6000; tick++) { // 600 s in steps of 100 ms
            now += 100;
            long age = (long) (backlog / capacity * 1000);
            int runsA = 0, runsB = 0;
            for (int f = 0; f < 1; f++) {
                if (g.decide(a, tick, 1, 1, age, false, now).equals(DetectionEvent.FULL)) runsA++;
                if (g.decide(b, tick, 1, 2, age, false, now).equals(DetectionEvent.FULL)) runsB++;
            }
            backlog = Math.max(0, backlog + runsA + runsB - capacity * 0.1);
            if (tick > 3000) {
                sumA += a.share;
                sumB += b.share;
                samples++;
            }
        }
        double meanA = sumA / samples, meanB = sumB / samples;
        System.out.printf("weights 1 and 2 on 6 frames/s for 20 offered: mean shares %.3f and %.3f (ratio %.2f), detector demand %.1f frames/s%n",
                meanA, meanB, meanB / meanA, 10 * (meanA + meanB));
        assertEquals(2.0, meanB / meanA, 0.5, "weighted AIMD: shares about 1:2");
        assertEquals(6.0, 10 * (meanA + meanB), 2.0, "together they ask about what the detector can do");
    }

    @Test
    void motionGatingSkipsStillFramesButLooksAgainNowAndThen() {
        DetectGate g = gate(1, true, 0);
        GateState s = new GateState();
        List<String> got = new ArrayList<>();
        for (int seq = 0; seq < 21; seq++) got.add(g.decide(s, seq, 1, 1, 0, false, seq * 100L));
        // still frames are skipped except one in motionRefresh (10)
        assertEquals(List.of(9, 19), indexesOf(got, DetectionEvent.FULL));
        assertTrue(got.stream().filter(x -> !x.equals(DetectionEvent.FULL)).allMatch(DetectionEvent.MOTION::equals));
        assertEquals(DetectionEvent.FULL, g.decide(s, 21, 1, 1, 0, true, 2100), "motion: run");
    }

    @Test
    void anObjectThatMovedKeepsTheDetectorRunningWithoutMotion() {
        DetectGate g = gate(1, true, 0);
        GateState s = new GateState();
        g.observeDetection(s, 0, new float[] {100, 100}, 1);
        assertEquals(Long.MAX_VALUE, s.movingUntilSeq, "first objects: look again");
        g.observeDetection(s, 1, new float[] {100.5f, 100}, 1);
        assertEquals(-1, s.movingUntilSeq, "half a pixel in a frame is jitter");
        g.observeDetection(s, 3, new float[] {106, 100}, 1);
        assertEquals(Long.MAX_VALUE, s.movingUntilSeq, "5.5 px in 2 frames: moving");
        assertEquals(DetectionEvent.FULL, g.decide(s, 4, 1, 1, 0, false, 400), "no motion seen, but an object moves");
    }

    private static List<Integer> indexesOf(List<String> l, String v) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) if (l.get(i).equals(v)) out.add(i);
        return out;
    }
}
