package io.vigil.flink.gate;

import io.vigil.events.DetectionEvent;
import io.vigil.events.Inference;

/**
 * Which frames of a camera run the detector. In order, for each frame:
 * <ol>
 *   <li><b>overload</b>: a frame older than {@code maxFrameAgeMs} when it reaches the detector is not detected, with one
 *       exception, <b>catch-up</b>: a frame of the backlog (captured before this Detect instance opened: what a restore
 *       replays and what arrived while the job was down) that is not older than {@code catchUpAgeMs} still runs, one in
 *       {@link #CATCH_UP_EVERY} of the camera's frames (or its interval, when longer), oldest first as they come, so its
 *       tracks live on between them and its analytics stay right. Frames that grow old under a sustained overload are
 *       not the backlog: the budget sheds them, or catching them up would hold the detector at a third of the offered
 *       frames and the lag would grow without bound;</li>
 *   <li><b>motion</b> (when on): no motion in the picture and no object moved between the last two detections: skipped,
 *       except one frame every {@code motionRefresh} frames so objects that stand still are seen again;</li>
 *   <li><b>interval / share</b>: the frame earns the camera's share of a detector run and runs once it has earned a
 *       whole one, so a share of 1/3 runs every third frame. The share is 1/every, or less when the subtask's
 *       {@link DetectorBudget} gives the camera less; a skipped frame that the interval alone would have run is
 *       {@code overload} (so their count is the runs the budget took away), the others {@code interval}.</li>
 * </ol>
 */
public final class DetectGate {
    /**
     * @param every          run the detector on every N-th frame (1 = every frame)
     * @param motion         skip frames without motion
     * @param maxFrameAgeMs  older frames are not detected; 0 = no limit
     * @param motionRefresh  with motion gating: still detect one frame in this many
     * @param catchUpAgeMs   frames older than maxFrameAgeMs but not than this are caught up (see the class comment); 0 = never
     */
    public record Settings(int every, boolean motion, long maxFrameAgeMs, int motionRefresh, long catchUpAgeMs) {
        public Settings(int every, boolean motion, long maxFrameAgeMs, int motionRefresh) {
            this(every, motion, maxFrameAgeMs, motionRefresh, 0);
        }

        public Settings {
            if (catchUpAgeMs < 0) throw new IllegalArgumentException("catchUpAge: >= 0, got " + catchUpAgeMs);
            if (every < 1) throw new IllegalArgumentException("every: at least 1, got " + every);
            if (maxFrameAgeMs < 0) throw new IllegalArgumentException("maxFrameAge: >= 0, got " + maxFrameAgeMs);
            if (motionRefresh < 1) throw new IllegalArgumentException("motionRefresh: at least 1, got " + motionRefresh);
        }
    }

    /**
     * Catch-up detects one frame in this many: the tracker keeps a track through 30 unseen frames, and analytics confirm
     * a change on {@code minFrames} (3) detected frames, so a crossing is still counted, at most 6 frames late.
     */
    public static final int CATCH_UP_EVERY = 3;

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
     * @param allowed the share of the camera's frames the detector budget allows now (0..1)
     * @param ageMs   how old the frame is now (wall clock minus capture time)
     * @param motion  whether the motion detector saw motion (ignored unless motion gating is on)
     */
    public Inference decide(GateState s, long seq, int every, double allowed, long ageMs, boolean motion) {
        return decide(s, seq, every, allowed, ageMs, motion, false);
    }

    /** The same, for a frame that is ({@code backlog}) or is not part of the backlog a restart left (see the class comment). */
    public Inference decide(GateState s, long seq, int every, double allowed, long ageMs, boolean motion, boolean backlog) {
        if (settings.maxFrameAgeMs() > 0 && ageMs > settings.maxFrameAgeMs()) {
            if (backlog && ageMs <= settings.catchUpAgeMs() && s.sinceDetect + 1 >= Math.max(every, CATCH_UP_EVERY)) {
                s.sinceDetect = 0;
                s.credit = Math.min(s.credit, 1); // no runs banked for when it is fresh again
                return DetectionEvent.FULL;
            }
            s.sinceDetect++;
            return DetectionEvent.OVERLOAD;
        }
        double cap = 1.0 / every;
        s.share = Math.min(cap, Math.max(0, allowed));
        if (!passesMotion(s, seq, motion)) {
            s.sinceDetect++;
            return DetectionEvent.MOTION;
        }
        // a run is taken when a whole one is earned, and the remainder carries over, so a share of 0.63 runs 63 % of
        // the frames (not every second one); the share is earned after the decision, so credit stays under 1 + share
        // and a camera never banks a second run
        boolean run = s.credit >= 1 - 1e-9;
        boolean due = s.due >= 1 - 1e-9;
        if (run) {
            s.credit = Math.max(0, s.credit - 1);
            s.due = 0;
        } else if (due) {
            s.due = 0;
        }
        s.credit += s.share;
        s.due = Math.min(1, s.due + cap);
        if (run) {
            s.sinceDetect = 0;
            return DetectionEvent.FULL;
        }
        s.sinceDetect++;
        return due ? DetectionEvent.OVERLOAD : DetectionEvent.INTERVAL; // overload: its interval would have run it, the budget did not
    }

    /** Whether a frame gets past motion gating (always, when it is off): motion, an object moving, or the refresh is due. */
    public boolean passesMotion(GateState s, long seq, boolean motion) {
        return !settings.motion() || motion || seq <= s.movingUntilSeq || s.sinceDetect + 1 >= settings.motionRefresh();
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
