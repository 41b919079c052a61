package io.vigil.flink.gate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many detector runs per second one Detect subtask may start, and how they are shared among its cameras.
 *
 * <p>The total, R runs/s, follows additive increase / multiplicative decrease on the age of the frames reaching the
 * detector: a window of {@link #WINDOW_MS} in which more than {@link #LATE_SHARE} of the frames were older than the
 * target age (half the frame-age limit) cuts R to {@link #CUT} of the rate the detector really ran at over the last
 * second, or half its capacity if that is more; otherwise R grows by {@link #RAISE} of the detector's capacity
 * (its parallel runs / its mean time per run) per second. Late frames cut R only while the
 * detector was busy at least half of the last second: otherwise the delay is not the detector's. So the queue in front of the detector settles well under the limit, and R
 * tracks what the detector can do whatever the model, machine or load.
 *
 * <p>R is split by weighted max-min fairness (water-filling): every camera gets R x its weight / the weights of the
 * cameras still unserved, capped at what it asks for (its frame rate in capture time x the share of its frames that
 * pass motion gating / its interval); what a camera does not ask for goes to the others. A camera's share of the frames
 * that pass its motion gating is then its allocation / the rate of those frames, at most 1.
 *
 * <p>Not keyed and not checkpointed: after a restore it relearns the rates within a couple of seconds (R starts
 * unlimited and the first late frames cut it to what the detector does).
 */
public final class DetectorBudget {
    static final double CUT = 0.8;
    static final double RAISE = 0.1;
    /** The window over which frame ages decide a cut or a raise. */
    static final long WINDOW_MS = 500;
    /** The share of a window's frames older than the target that makes it late. */
    static final double LATE_SHARE = 0.1;
    /** The detector's busy share of the last second above which late frames cut R. */
    static final double BUSY = 0.5;
    static final long REALLOCATE_MS = 250;
    /** A camera not seen for this long leaves the allocation. */
    static final long IDLE_MS = 10_000;

    private static final class Camera {
        double weight = 1;
        double offered;        // frames/s in capture time (EWMA)
        double passing = 1;    // share of the frames past motion gating (EWMA)
        double wanted = 1;     // detector runs it asks for per frame: passing / every (EWMA)
        long lastTsMicros = -1;
        long lastSeenMs;
        double allocated = Double.POSITIVE_INFINITY; // runs/s
    }

    private final Map<String, Camera> cameras = new HashMap<>();
    private double rate = Double.POSITIVE_INFINITY; // R, runs/s
    private long windowStartMs = -1;
    private int windowFrames;
    private int windowLate;
    private int parallelRuns = 1;
    private long lastAllocMs;
    private final long[] runTimes = new long[256];  // ring of recent run times (ms), to measure the detector's rate
    private int runs;
    private double runMillis;                        // mean detector time per frame (EWMA), 0 = unknown

    /** The subtask's current total (runs/s); infinite until the first late frame. */
    public double rate() {
        return rate;
    }

    /** Runs per second the detector really did over the last second. */
    public double achieved(long nowMs) {
        int n = Math.min(runs, runTimes.length);
        int count = 0;
        for (int i = 0; i < n; i++) if (nowMs - runTimes[i] <= 1000) count++;
        return count;
    }

    /** A frame of {@code camera} arrived that every frame of the camera would ask the detector for (no motion gating). */
    public void arrived(String camera, double weight, long tsMicros, long nowMs) {
        arrived(camera, weight, tsMicros, nowMs, true, 1);
    }

    /**
     * A frame of {@code camera} arrived: folds its capture time into the camera's offered rate, and whether it passed
     * motion gating (with the camera's interval) into what it asks of the detector.
     */
    public void arrived(String camera, double weight, long tsMicros, long nowMs, boolean passes, int every) {
        Camera c = cameras.computeIfAbsent(camera, k -> new Camera());
        c.passing = 0.95 * c.passing + 0.05 * (passes ? 1 : 0);
        c.wanted = 0.95 * c.wanted + 0.05 * (passes ? 1.0 / Math.max(1, every) : 0);
        c.weight = weight > 0 ? weight : 1;
        c.lastSeenMs = nowMs;
        if (c.lastTsMicros >= 0 && tsMicros > c.lastTsMicros) {
            double fps = 1e6 / (tsMicros - c.lastTsMicros);
            c.offered = c.offered == 0 ? fps : 0.9 * c.offered + 0.1 * fps;
        }
        c.lastTsMicros = tsMicros;
    }

    /** The detector ran on a frame now, taking {@code millis}. */
    public void ran(long nowMs, double millis) {
        runTimes[runs++ % runTimes.length] = nowMs;
        if (millis > 0) runMillis = runMillis == 0 ? millis : 0.9 * runMillis + 0.1 * millis;
    }

    /** The detector runs the subtask has going at a time (its workers); its capacity is that many times one run's. */
    public void parallelRuns(int n) {
        if (n < 1) throw new IllegalArgumentException("parallel runs: at least 1, got " + n);
        parallelRuns = n;
    }

    /** Frames per second the detector could run back to back, from its mean time per frame; 0 = unknown. */
    public double capacity() {
        return runMillis <= 0 ? 0 : parallelRuns * 1000 / runMillis;
    }

    /**
     * The age of a frame reaching the detector. Every {@link #WINDOW_MS} the window's frames decide: when more than
     * {@link #LATE_SHARE} of them were older than the target and the detector was busy, R is cut; otherwise it grows.
     * A share, not any one late frame, because single frames come late for reasons that are not a queue (a garbage
     * collection, a checkpoint's commit, the JIT): cutting on each of them held R well under what the detector could
     * do (12 cameras at interval 3 here: 25 % of the frames detected of the 33 % asked, no queue).
     */
    public void observeAge(long ageMs, long targetAgeMs, long nowMs) {
        if (windowStartMs < 0) windowStartMs = nowMs;
        windowFrames++;
        if (ageMs > targetAgeMs) windowLate++;
        long elapsed = nowMs - windowStartMs;
        if (elapsed < WINDOW_MS) return;
        double achieved = Math.max(1, achieved(nowMs));
        // late frames are the detector's fault only when it is busy: if it idles half the time, the queue is somewhere
        // else (the machine, the gateway, Kafka) and running it less would cost accuracy for nothing
        boolean busy = achieved * runMillis / 1000 / parallelRuns >= BUSY;
        if (windowLate > LATE_SHARE * windowFrames && busy) {
            // what the detector did, but never under half its capacity: a detector that was idle or warming up
            // (a job starting on a backlog) has done little, which says nothing about what it can do
            double did = Math.max(achieved, capacity() / 2);
            rate = Math.max(1, CUT * Math.min(rate, did));
            lastAllocMs = 0; // reallocate at once
        } else if (!Double.isInfinite(rate)) {
            rate += RAISE * Math.max(achieved, capacity()) * elapsed / 1000.0;
        }
        windowStartMs = nowMs;
        windowFrames = 0;
        windowLate = 0;
    }

    /** The fraction of this camera's frames the detector may take now (0..1). */
    public double share(String camera, long nowMs) {
        if (nowMs - lastAllocMs >= REALLOCATE_MS) allocate(nowMs);
        Camera c = cameras.get(camera);
        if (c == null || c.offered <= 0 || Double.isInfinite(c.allocated)) return 1;
        return Math.min(1, c.allocated / (c.offered * Math.max(c.passing, 1e-3)));
    }

    /** Weighted max-min fair split of R over the cameras seen lately. */
    void allocate(long nowMs) {
        lastAllocMs = nowMs;
        cameras.values().removeIf(c -> nowMs - c.lastSeenMs > IDLE_MS);
        if (Double.isInfinite(rate)) {
            for (Camera c : cameras.values()) c.allocated = Double.POSITIVE_INFINITY;
            return;
        }
        List<Camera> open = new ArrayList<>();
        for (Camera c : cameras.values()) {
            if (c.offered > 0) open.add(c);
            else c.allocated = Double.POSITIVE_INFINITY; // no rate known yet: let it through
        }
        double left = rate;
        while (!open.isEmpty()) {
            double weights = 0;
            for (Camera c : open) weights += c.weight;
            boolean capped = false;
            for (java.util.Iterator<Camera> it = open.iterator(); it.hasNext(); ) {
                Camera c = it.next();
                double demand = c.offered * c.wanted;
                if (demand <= left * c.weight / weights) {
                    c.allocated = demand;
                    left -= demand;
                    it.remove();
                    capped = true;
                }
            }
            if (!capped) {
                for (Camera c : open) c.allocated = left * c.weight / weights;
                break;
            }
        }
    }
}
