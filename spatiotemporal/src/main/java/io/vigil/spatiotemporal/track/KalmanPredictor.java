package io.vigil.spatiotemporal.track;

/**
 * The tracker's own constant-velocity Kalman filter ({@link ByteTracker}'s, ByteTrack's formulation) run over one
 * object's boxes, to predict where its centre will be a few frames ahead: the baseline any learnt motion model has to
 * beat. Not thread-safe; one per track.
 */
public final class KalmanPredictor {
    private final double[] mean = new double[8];  // cx, cy, a, h and their velocities per frame
    private final double[] cov = new double[64];  // [8][8]
    private final double[] scratchMean = new double[8];
    private final double[] scratchCov = new double[64];
    private boolean started;

    /** Folds in the box seen on the next frame (x1, y1, x2, y2 in pixels), as the tracker does on a match. */
    public void observe(float[] box) {
        double[] z = ByteTracker.xyah(box);
        if (!started) {
            KalmanBox.initiate(z, mean, cov);
            started = true;
            return;
        }
        KalmanBox.predict(mean, cov);
        KalmanBox.update(mean, cov, z);
    }

    /**
     * The centre {@code k} frames after the last observed one, without changing the filter.
     *
     * @return cx, cy in pixels
     */
    public double[] centreAhead(int k) {
        if (!started) throw new IllegalStateException("no box observed yet");
        System.arraycopy(mean, 0, scratchMean, 0, 8);
        System.arraycopy(cov, 0, scratchCov, 0, 64);
        for (int i = 0; i < k; i++) KalmanBox.predict(scratchMean, scratchCov);
        return new double[] {scratchMean[0], scratchMean[1]};
    }
}
