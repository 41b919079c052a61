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

    /** Box from the filter: x1, y1, x2, y2. */
    public double[] box() {
        double w = mean[2] * mean[3];
        double h = mean[3];
        return new double[] {mean[0] - w / 2, mean[1] - h / 2, mean[0] + w / 2, mean[1] + h / 2};
    }

    /** Centre velocity in pixels per frame (vx, vy). */
    public double[] velocity() {
        return new double[] {mean[4], mean[5]};
    }
}
