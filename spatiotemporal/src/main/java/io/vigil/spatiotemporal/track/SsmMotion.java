package io.vigil.spatiotemporal.track;

import io.vigil.spatiotemporal.model.MotionModel;
import io.vigil.spatiotemporal.stream.StreamState;

/**
 * The tracker's motion predictor as a selective scan ({@link MotionModel}, {@code track.motion: ssm}) instead of the
 * constant-velocity Kalman filter: after MambaTrack / TrackSSM, a state space model over each tracklet's history says
 * where its centre goes next. The Kalman filter still runs beside it for the box's size and as the fallback of a track
 * that has no SSM state yet (restored from a Kalman-only checkpoint).
 *
 * <p>The model steps once per frame of a track's history, as it was trained: when the detector sees the track, through
 * the frames since it was seen last (interpolated) and the new box. The centre on the k-th frame after the last seen
 * box (a frame the detector skipped, or the track lost) is that box's centre plus the k-frame forecast made there
 * (k = 1..5, the model's horizon; held at 5 beyond).
 *
 * <p>Not thread-safe (the model owns workspaces): one per thread, shared by the trackers that thread runs.
 */
public final class SsmMotion {
    private final MotionModel model;
    private final StreamState shape;
    private final float[] box = new float[4];  // x1, y1, x2, y2 scratch: an interpolated box
    private final float[] prev = new float[4]; // the one before it

    public SsmMotion(MotionModel model) {
        this.model = java.util.Objects.requireNonNull(model, "model");
        this.shape = model.newState();
    }

    public MotionModel model() {
        return model;
    }

    /** A fresh state shaped like this model's, for a restored track's state to be checked against. */
    StreamState shape() {
        return shape;
    }

    /** A new frame begins: the track's centre for it, from the forecast made at its last seen box. */
    void advance(Track t) {
        SsmTrack s = t.ssm;
        if (s == null) return;
        s.sinceSeen++;
        // past the horizon the centre holds at the last forecast: continuing it drifts off objects that stopped
        int k = Math.min(s.sinceSeen, MotionModel.HORIZON);
        s.centre[0] = s.seenCentre[0] + s.seenAhead[2 * (k - 1)];
        s.centre[1] = s.seenCentre[1] + s.seenAhead[2 * (k - 1) + 1];
    }

    /**
     * The detector saw the track at {@code seen} (x1, y1, x2, y2) this frame. After a gap of g frames (skipped, or the
     * track lost) the model first steps through the g - 1 frames between, with boxes interpolated from the last seen
     * one: its history stays one real-looking box per frame, as in training, rather than its own forecasts. A track
     * without a state starts one.
     */
    void observe(Track t, float[] seen, int width, int height) {
        SsmTrack s = t.ssm;
        if (s == null) {
            s = t.ssm = new SsmTrack(model.newState());
            model.step(null, seen, width, height, s.state, s.ahead);
        } else {
            int gap = Math.max(1, s.sinceSeen);
            for (int j = 1; j < gap; j++) {
                float a = (float) j / gap;
                for (int c = 0; c < 4; c++) box[c] = s.fed[c] + a * (seen[c] - s.fed[c]);
                model.step(j == 1 ? s.fed : prev, box, width, height, s.state, s.ahead);
                System.arraycopy(box, 0, prev, 0, 4);
            }
            model.step(gap == 1 ? s.fed : prev, seen, width, height, s.state, s.ahead);
        }
        System.arraycopy(s.ahead, 0, s.seenAhead, 0, s.ahead.length);
        System.arraycopy(seen, 0, s.fed, 0, 4);
        s.seenCentre[0] = (seen[0] + seen[2]) / 2f;
        s.seenCentre[1] = (seen[1] + seen[3]) / 2f;
        s.centre[0] = s.seenCentre[0];
        s.centre[1] = s.seenCentre[1];
        s.sinceSeen = 0;
    }
}
