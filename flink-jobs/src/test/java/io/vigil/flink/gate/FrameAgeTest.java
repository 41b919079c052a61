package io.vigil.flink.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A camera at 10 fps; the job's clock is "now", the gateway's is "capture"; transit 40 ms unless said. */
class FrameAgeTest {
    static final long T0 = 1_800_000_000_000L;
    static final long LIMIT = 1000;

    /** Ages of frames 0..n-1 captured every 100 ms on a gateway clock {@code skewMs} ahead of the job's, each arriving after {@code transit[i]}. */
    static long[] ages(GateState s, long skewMs, long fromFrame, long... transit) {
        long[] out = new long[transit.length];
        for (int i = 0; i < transit.length; i++) {
            long captured = T0 + (fromFrame + i) * 100; // true time of capture
            out[i] = FrameAge.observe(s, captured + transit[i], captured + skewMs, LIMIT);
        }
        return out;
    }

    @Test
    void aGatewayClockThirtySecondsAheadOrBehindChangesNoAge() {
        long[] transit = {40, 40, 45, 40, 900, 1500, 40, 60};
        long[] want = {0, 0, 5, 0, 860, 1460, 0, 20};
        for (long skew : new long[] {0, 30_000, -30_000}) {
            assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(ages(new GateState(), skew, 0, transit)), "skew " + skew);
        }
    }

    @Test
    void aBacklogAfterARestoreIsAsOldAsItWaited() {
        GateState s = new GateState();
        ages(s, -30_000, 0, 40, 40, 40);
        // the job was down 8 s: the next frames arrive together when it is back, the state (restored) remembers the delay
        long[] back = new long[5];
        for (int i = 0; i < 5; i++) {
            long captured = T0 + (3 + i) * 100;
            back[i] = FrameAge.observe(s, T0 + 8_300 + i, captured - 30_000, LIMIT);
        }
        assertEquals(8_300 - 300 - 40, back[0]);
        assertEquals(8_304 - 700 - 40, back[4]);
    }

    @Test
    void aClockThatStepsBackIsLearntAfterAWindowOfPacedFrames() {
        GateState s = new GateState();
        long frame = 0;
        for (; frame < 100; frame++) FrameAge.observe(s, T0 + frame * 100 + 40, T0 + frame * 100, LIMIT);
        // the gateway's clock steps back 5 s: every frame now looks 5 s old, but they arrive at the rate they were captured
        long age = 0;
        long steppedAt = frame;
        for (; frame < steppedAt + 400; frame++) {
            age = FrameAge.observe(s, T0 + frame * 100 + 40, T0 + frame * 100 - 5_000, LIMIT);
            if (frame == steppedAt + 10) assertEquals(5_000, age, "at first, as old as the step");
        }
        assertEquals(0, age, "after a window (30 s) of frames arriving at the capture rate, the step is the clock's");
    }

    @Test
    void aDrainingBacklogIsNotTakenForAClockStep() {
        GateState s = new GateState();
        long frame = 0;
        for (; frame < 100; frame++) FrameAge.observe(s, T0 + frame * 100 + 40, T0 + frame * 100, LIMIT);
        // the job stops for 60 s, then reads the 600 frames it missed at 20 a second (twice the capture rate) and more
        long now = T0 + frame * 100 + 60_000;
        long age = 0;
        for (int i = 0; i < 600; i++, frame++, now += 50) age = FrameAge.observe(s, now, T0 + frame * 100, LIMIT);
        assertEquals(now - 50 - (T0 + (frame - 1) * 100) - 40, age, "still as old as it waited: arrivals faster than capture are a drain");
        assertEquals(true, age > LIMIT);
    }
}
