package io.vigil.spatiotemporal.track;

import io.vigil.spatiotemporal.model.MotionModel;
import io.vigil.spatiotemporal.stream.StreamState;

/**
 * The tracker's motion predictor as a selective scan ({@link MotionModel}, {@code track.motion: ssm}) instead of the
 * constant-velocity Kalman filter: after MambaTrack / TrackSSM, a state space model over each tracklet's history says
 * where its centre goes next. The Kalman filter still runs beside it for the box's size and as the fallback of a track
 * that has no SSM state yet (restored from a Kalman-only checkpoint).
 *
 * <p>Per track and frame, one {@link MotionModel#step}: with the box the detector saw when the track was matched, else
 * with the box predicted for this frame ("coasting": on frames the detector skipped, and for lost tracks), so the
 * model always steps once per frame as it was trained. The centre on the k-th frame after the last seen box is that
 * box's centre plus the k-frame forecast made there (k = 1..5; the model's horizon), then the latest step's one-frame
 * forecast from the coasted box.
 *
 * <p>Not thread-safe (the model owns workspaces): one per thread, shared by the trackers that thread runs.
 */
public final class SsmMotion {
    private final MotionModel model;
    private final StreamState shape;
    private final float[] box = new float[4]; // x1, y1, x2, y2 scratch

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

    /** A new frame begins: the track's centre for it, from the forecasts (the Kalman filter has predicted already). */
    void advance(Track t) {
        SsmTrack s = t.ssm;
        if (s == null) return;
        int k = ++s.sinceSeen;
        if (k <= MotionModel.HORIZON) {
            s.centre[0] = s.seenCentre[0] + s.seenAhead[2 * (k - 1)];
            s.centre[1] = s.seenCentre[1] + s.seenAhead[2 * (k - 1) + 1];
        } else {
            s.centre[0] = (s.fed[0] + s.fed[2]) / 2.0 + s.ahead[0];
            s.centre[1] = (s.fed[1] + s.fed[3]) / 2.0 + s.ahead[1];
        }
    }

    /** The detector saw the track at {@code seen} (x1, y1, x2, y2) this frame; a track without a state starts one. */
    void observe(Track t, float[] seen, int width, int height) {
        SsmTrack s = t.ssm;
        boolean first = s == null;
        if (first) s = t.ssm = new SsmTrack(model.newState());
        model.step(first ? null : s.fed, seen, width, height, s.state, s.ahead);
        System.arraycopy(s.ahead, 0, s.seenAhead, 0, s.ahead.length);
        System.arraycopy(seen, 0, s.fed, 0, 4);
        s.seenCentre[0] = (seen[0] + seen[2]) / 2f;
        s.seenCentre[1] = (seen[1] + seen[3]) / 2f;
        s.centre[0] = s.seenCentre[0];
        s.centre[1] = s.seenCentre[1];
        s.sinceSeen = 0;
    }

    /** The track was not seen this frame: the model steps with the box predicted for it. */
    void coast(Track t, int width, int height) {
        SsmTrack s = t.ssm;
        if (s == null) return;
        double w = t.mean[2] * t.mean[3], h = t.mean[3];
        box[0] = (float) (s.centre[0] - w / 2);
        box[1] = (float) (s.centre[1] - h / 2);
        box[2] = (float) (s.centre[0] + w / 2);
        box[3] = (float) (s.centre[1] + h / 2);
        model.step(s.fed, box, width, height, s.state, s.ahead);
        System.arraycopy(box, 0, s.fed, 0, 4);
    }
}
