package io.vigil.spatiotemporal.track;

/**
 * One tracked object: Kalman state, identity, class, and bookkeeping. Mutable, owned by its {@link ByteTracker}.
 */
public final class Track {
    public enum State { NEW, TRACKED, LOST }

    final long id;
    final int classId;
    final double[] mean = new double[8]; // cx, cy, a, h and their velocities (per frame)
    final double[] cov = new double[64];
    State state;
    boolean confirmed;
    float score;
    int hits;
    long lastSeenFrame;
    long startFrame;
    SsmTrack ssm; // the selective-scan predictor's state; null while the Kalman filter predicts the centre

    Track(long id, int classId) {
        this.id = id;
        this.classId = classId;
    }

    public long id() { return id; }

    public int classId() { return classId; }

    public State state() { return state; }

    public boolean confirmed() { return confirmed; }

    public float score() { return score; }

    public int hits() { return hits; }

    public long lastSeenFrame() { return lastSeenFrame; }

    /**
     * The box now, x1, y1, x2, y2: the motion predictor's centre (the selective scan's when the tracker has one, else the
     * Kalman filter's) and the Kalman filter's size.
     */
    public double[] box() {
        double w = mean[2] * mean[3];
        double h = mean[3];
        double cx = ssm == null ? mean[0] : ssm.centre[0];
        double cy = ssm == null ? mean[1] : ssm.centre[1];
        return new double[] {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    }

    /** Centre velocity in pixels per frame (vx, vy): the predictor's expected move over the next frame. */
    public double[] velocity() {
        return ssm == null ? new double[] {mean[4], mean[5]} : new double[] {ssm.ahead[0], ssm.ahead[1]};
    }
}
