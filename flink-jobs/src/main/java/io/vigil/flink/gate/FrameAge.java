package io.vigil.flink.gate;

/**
 * A frame's age for the gate and the budget, measured on the job's clock alone: how much longer the frame took to
 * arrive than the camera's quickest frame did. The capture time is the gateway's clock; {@code arrival - capture} is
 * that clock's offset from the job's plus the frame's transit, and the lowest value seen for the camera (kept in its
 * {@link GateState}, so a restore keeps it) is the offset plus the least transit. A gateway clock 30 s ahead or behind
 * the TaskManager's shifts every sample by the same 30 s and changes no age; a frame that waited in Kafka, in a backlog
 * or behind a restart, is as old as it was made to wait.
 *
 * <p>The lowest delay falls at once (a quicker frame, or the gateway's clock stepped forward). It rises only on
 * evidence that the camera's clock stepped back: for a whole {@link #WINDOW_MS} every frame was older than the limit
 * while frames arrived as fast as they were captured (arrival span within 10 % of the capture span, so no backlog was
 * draining and none was growing). What that cannot tell apart from a step of the clock is a backlog of constant length
 * held for that long by a detector at exactly its capacity; the budget, which sheds frames as soon as ages pass half the
 * limit, does not hold one.
 */
public final class FrameAge {
    /** How long every frame must look too old, at the capture rate, before the camera's clock is taken to have stepped back. */
    public static final long WINDOW_MS = 30_000;

    private FrameAge() {}

    /**
     * The frame's age in ms (>= 0), moving the camera's estimate in {@code s} on.
     *
     * @param nowMs     the job's clock as the frame reaches the gate
     * @param captureMs the frame's capture time, on the gateway's clock
     * @param maxAgeMs  the gate's limit (0: none, and then the lowest delay only falls)
     */
    public static long observe(GateState s, long nowMs, long captureMs, long maxAgeMs) {
        long delay = nowMs - captureMs;
        if (!s.delayKnown || delay < s.leastDelayMs) {
            s.leastDelayMs = delay;
            s.delayKnown = true;
        }
        if (maxAgeMs > 0) steppedBack(s, nowMs, captureMs, delay, maxAgeMs);
        return Math.max(0, delay - s.leastDelayMs);
    }

    private static void steppedBack(GateState s, long nowMs, long captureMs, long delay, long maxAgeMs) {
        if (delay - s.leastDelayMs <= maxAgeMs) { // a frame in time: no step, the window of old frames ends
            s.windowStartMs = 0;
            return;
        }
        if (s.windowStartMs == 0 || captureMs < s.windowStartCaptureMs) {
            s.windowStartMs = nowMs;
            s.windowStartCaptureMs = captureMs;
            s.windowLeastDelayMs = delay;
            return;
        }
        s.windowLeastDelayMs = Math.min(s.windowLeastDelayMs, delay);
        long arrivalSpan = nowMs - s.windowStartMs;
        if (arrivalSpan < WINDOW_MS) return;
        long captureSpan = captureMs - s.windowStartCaptureMs;
        boolean paced = captureSpan > 0 && Math.abs(arrivalSpan - captureSpan) <= 0.1 * captureSpan;
        if (paced && s.windowLeastDelayMs - s.leastDelayMs > maxAgeMs) s.leastDelayMs = s.windowLeastDelayMs;
        s.windowStartMs = nowMs;
        s.windowStartCaptureMs = captureMs;
        s.windowLeastDelayMs = delay;
    }
}
