package io.vigil.flink.gate;

import io.vigil.flink.event.DetectionEvent;

/**
 * Which frames of a camera run the detector. In order, for each frame:
 * <ol>
 *   <li><b>overload</b>: a frame older than {@code maxFrameAgeMs} when it reaches the detector is never detected, and
 *       the camera's share of the detector is halved (at most once per {@code maxFrameAgeMs});</li>
 *   <li><b>motion</b> (when on): no motion in the picture and no object moved between the last two detections: skipped,
 *       except one frame every {@code motionRefresh} frames so objects that stand still are seen again;</li>
 *   <li><b>interval / share</b>: the frame earns {@code share} of a detector run and runs once it has earned a whole
 *       one, so a share of 1/3 runs every third frame. A skipped frame is {@code interval} while the share is the
 *       camera's configured 1/every, {@code overload} while overload has lowered it.</li>
 * </ol>
 * The share grows back additively ({@code raisePerSecond} x weight per second, up to 1/every) and is cut
 * multiplicatively (halved) when frames come too old: additive increase, multiplicative decrease, which converges to
 * shares proportional to the cameras' weights when they compete for one detector (Chiu and Jain, 1989).
 */
public final class DetectGate {
    /**
     * @param every          run the detector on every N-th frame (1 = every frame)
     * @param motion         skip frames without motion
     * @param maxFrameAgeMs  older frames are not detected; 0 = no limit
     * @param motionRefresh  with motion gating: still detect one frame in this many
     * @param minShare       the share never goes below this (the detector still sees the camera now and then)
     * @param raisePerSecond additive increase of the share per second at weight 1
     */
    public record Settings(int every, boolean motion, long maxFrameAgeMs, int motionRefresh, double minShare, double raisePerSecond) {
        public Settings {
            if (every < 1) throw new IllegalArgumentException("every: at least 1, got " + every);
            if (maxFrameAgeMs < 0) throw new IllegalArgumentException("maxFrameAge: >= 0, got " + maxFrameAgeMs);
            if (motionRefresh < 1) throw new IllegalArgumentException("motionRefresh: at least 1, got " + motionRefresh);
            if (!(minShare > 0 && minShare <= 1)) throw new IllegalArgumentException("minShare: (0, 1], got " + minShare);
            if (!(raisePerSecond > 0)) throw new IllegalArgumentException("raisePerSecond: > 0, got " + raisePerSecond);
        }
    }

    private final Settings settings;

    public DetectGate(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The decision for one frame: {@link DetectionEvent#FULL} (run the detector) or why not.
     *
     * @param every   the camera's interval (its spec's, else the job's)
     * @param weight  the camera's weight in the detector's fair share (1 = default)
     * @param ageMs   how old the frame is now (wall clock minus capture time)
     * @param motion  whether the motion detector saw motion (ignored unless motion gating is on)
     */
    public String decide(GateState s, long seq, int every, double weight, long ageMs, boolean motion, long nowMs) {
        double cap = 1.0 / every;
        if (settings.maxFrameAgeMs() > 0 && ageMs > settings.maxFrameAgeMs()) {
            if (nowMs - s.lastCutMs >= settings.maxFrameAgeMs()) {
                s.share = Math.max(Math.min(settings.minShare(), cap), s.share / 2);
                s.lastCutMs = nowMs;
            }
            s.lastRaiseMs = nowMs;
            s.sinceDetect++;
            return DetectionEvent.OVERLOAD;
        }
        if (s.lastRaiseMs > 0 && nowMs > s.lastRaiseMs) {
            s.share += settings.raisePerSecond() * weight * (nowMs - s.lastRaiseMs) / 1000.0;
        }
        s.lastRaiseMs = nowMs;
        s.share = Math.min(cap, Math.max(Math.min(settings.minShare(), cap), s.share));
        if (settings.motion() && !motion && seq > s.movingUntilSeq && s.sinceDetect + 1 < settings.motionRefresh()) {
            s.sinceDetect++;
            return DetectionEvent.MOTION;
        }
        s.credit = Math.min(1, s.credit + s.share);
        if (s.credit >= 1 - 1e-9) {
            s.credit = 0;
            s.sinceDetect = 0;
            return DetectionEvent.FULL;
        }
        s.sinceDetect++;
        return s.share < cap - 1e-9 ? DetectionEvent.OVERLOAD : DetectionEvent.INTERVAL;
    }

    /**
     * After a detection: did any object move since the previous one? Each object is matched to the nearest previous
     * centre; a shift of more than {@code minShiftPerFrame} pixels per frame elapsed counts as moving, and motion gating
     * then keeps running the detector until the next detection says otherwise.
     *
     * @param centres [n*2] this detection's object centres, pixels
     */
    public void observeDetection(GateState s, long seq, float[] centres, float minShiftPerFrame) {
        boolean moved = false;
        float[] prev = s.lastCentres;
        if (prev != null && s.lastDetectSeq >= 0 && seq > s.lastDetectSeq && centres.length > 0 && prev.length > 0) {
            float limit = minShiftPerFrame * (seq - s.lastDetectSeq);
            for (int i = 0; i < centres.length && !moved; i += 2) {
                float best = Float.MAX_VALUE;
                for (int j = 0; j < prev.length; j += 2) {
                    float dx = centres[i] - prev[j], dy = centres[i + 1] - prev[j + 1];
                    best = Math.min(best, dx * dx + dy * dy);
                }
                // above the box jitter; an object with no previous one near it (it just came in) counts as moving too
                moved = best > limit * limit;
            }
        } else if (centres.length > 0 && prev == null) {
            moved = true; // the first objects seen: look again before trusting the motion detector alone
        }
        s.movingUntilSeq = moved ? Long.MAX_VALUE : -1;
        s.lastCentres = centres;
        s.lastDetectSeq = seq;
    }
}
