package io.vigil.flink.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.events.DetectionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectGateTest {
    private static DetectGate gate(int every, boolean motion, long maxAgeMs) {
        return new DetectGate(new DetectGate.Settings(every, motion, maxAgeMs, 10));
    }

    @Test
    void aBacklogUnderTheCatchUpAgeRunsOneFrameInThreeAndOlderFramesNone() {
        DetectGate g = new DetectGate(new DetectGate.Settings(1, false, 1000, 10, 60_000));
        GateState s = new GateState();
        List<String> got = new ArrayList<>();
        for (int seq = 0; seq < 7; seq++) got.add(g.decide(s, seq, 1, 1, 8_000, false, true).wire()); // a restore's backlog, 8 s old
        assertEquals(List.of("overload", "overload", "full", "overload", "overload", "full", "overload"), got);
        got.clear();
        for (int seq = 7; seq < 10; seq++) got.add(g.decide(s, seq, 1, 1, 20, false, true).wire()); // the live edge: fresh again
        assertEquals(List.of("full", "full", "full"), got, "no runs banked while catching up, none lost after");
        got.clear();
        for (int seq = 10; seq < 16; seq++) got.add(g.decide(s, seq, 1, 1, 61_000, false, true).wire()); // older than the catch-up age
        assertEquals(List.of("overload", "overload", "overload", "overload", "overload", "overload"), got);
        GateState five = new GateState();
        got.clear();
        for (int seq = 0; seq < 10; seq++) got.add(g.decide(five, seq, 5, 1, 8_000, false, true).wire()); // a camera at interval 5 keeps it
        assertEquals(2, got.stream().filter("full"::equals).count(), got.toString());
        GateState live = new GateState();
        got.clear();
        for (int seq = 0; seq < 9; seq++) got.add(g.decide(live, seq, 1, 1, 8_000, false, false).wire()); // old under a sustained overload
        assertEquals(List.of("overload"), got.stream().distinct().toList(), "not the backlog: shed, not caught up");
    }

    @Test
    void anIntervalOfThreeRunsEveryThirdFrame() {
        DetectGate g = gate(3, false, 0);
        GateState s = new GateState();
        List<String> got = new ArrayList<>();
        for (int seq = 0; seq < 9; seq++) got.add(g.decide(s, seq, 3, 1, 0, true).wire());
        assertEquals(List.of("full", "interval", "interval", "full", "interval", "interval", "full", "interval", "interval"), got);
    }

    @Test
    void aFractionalShareRunsThatFractionOfTheFrames() {
        DetectGate g = gate(1, false, 1000);
        GateState s = new GateState();
        int runs = 0;
        for (int seq = 0; seq < 1000; seq++) if (g.decide(s, seq, 1, 0.63, 10, false).equals(DetectionEvent.FULL)) runs++;
        assertEquals(630, runs, 1, "a share of 0.63: 63 % of the frames (the remainder carries over), not every second one");
        assertTrue(s.credit < 1 + 0.63, "never a second run banked: " + s.credit);
    }

    @Test
    void staleFramesAreNeverDetectedAndALoweredShareIsOverload() {
        DetectGate g = gate(2, false, 1000);
        GateState s = new GateState();
        assertEquals(DetectionEvent.OVERLOAD, g.decide(s, 0, 2, 1, 1001, false), "older than the limit");
        List<String> got = new ArrayList<>();
        for (int seq = 1; seq < 9; seq++) got.add(g.decide(s, seq, 2, 0.25, 10, false).wire());
        assertEquals(List.of("full", "interval", "overload", "interval", "full", "interval", "overload", "interval"), got,
                "the budget allows a quarter of the frames: of the frames every second frame would run, the ones it did not are overload");
        assertEquals(0.25, s.share, 1e-9);
    }

    @Test
    void motionGatingSkipsStillFramesButLooksAgainNowAndThen() {
        DetectGate g = gate(1, true, 0);
        GateState s = new GateState();
        List<String> got = new ArrayList<>();
        for (int seq = 0; seq < 21; seq++) got.add(g.decide(s, seq, 1, 1, 0, false).wire());
        // still frames are skipped except one in motionRefresh (10)
        assertEquals(List.of(9, 19), indexesOf(got, DetectionEvent.FULL.wire()));
        assertTrue(got.stream().filter(x -> !x.equals(DetectionEvent.FULL.wire())).allMatch(DetectionEvent.MOTION.wire()::equals));
        assertEquals(DetectionEvent.FULL, g.decide(s, 21, 1, 1, 0, true), "motion: run");
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
        s.sinceDetect = 0;
        s.credit = 1;
        assertEquals(DetectionEvent.FULL, g.decide(s, 4, 1, 1, 0, false), "no motion seen, but an object moves");
    }

    private static List<Integer> indexesOf(List<String> l, String v) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) if (l.get(i).equals(v)) out.add(i);
        return out;
    }
}
