package io.vigil.lab.train;

import io.vigil.spatiotemporal.track.KalmanPredictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Scores motion predictors on held-out tracks: at every step of a track with at least two boxes seen and
 * {@link #HORIZON} still to come, each predictor, having seen the boxes so far, says where the centre will be 1..5
 * frames ahead; the error is the distance in pixels to where it was. Reported per predictor: average displacement
 * error over the first k horizons (ADE@k) and the error at horizon k (FDE@k) for k = 1, 3, 5, and the share of steps
 * where it had the smallest FDE@5.
 */
public final class MotionBaselines {
    private MotionBaselines() {}

    public static final int HORIZON = 5;

    /** Predicts one track's centre from the boxes it has seen; one instance per track. */
    public interface Predictor {
        /** The box on the next frame, x1, y1, x2, y2 pixels. */
        void observe(float[] box);

        /** The centre k frames after the last box observed: cx, cy pixels. */
        double[] centreAhead(int k);
    }

    /** A predictor's name and how to make one for a new track (of which it may read only the frame size). */
    public record Candidate(String name, Function<MotionTracks.Track, Predictor> factory) {}

    /** ade[k-1], fde[k-1] in pixels for k = 1..HORIZON; best: share of steps with the smallest FDE@5. */
    public record Score(String name, double[] ade, double[] fde, double best, long steps) {}

    /** The three baselines the issue names: the tracker's Kalman filter, constant position, linear extrapolation. */
    public static List<Candidate> baselines() {
        return List.of(new Candidate("kalman (the tracker's)", t -> new Kalman()), new Candidate("constant position", t -> new Still()),
                new Candidate("linear extrapolation", t -> new Linear()));
    }

    public static List<Score> score(List<MotionTracks.Track> tracks, List<Candidate> candidates) {
        int c = candidates.size();
        double[][] err = new double[c][HORIZON];     // summed error at each horizon
        double[][] cum = new double[c][HORIZON];     // summed ADE@k
        long[] best = new long[c];
        long steps = 0;
        for (MotionTracks.Track t : tracks) {
            Predictor[] p = new Predictor[c];
            for (int j = 0; j < c; j++) p[j] = candidates.get(j).factory().apply(t);
            float[][] b = t.boxes();
            for (int i = 0; i < b.length; i++) {
                for (Predictor x : p) x.observe(b[i]);
                if (i < 1 || i + HORIZON >= b.length) continue;
                steps++;
                int winner = -1;
                double winnerErr = Double.MAX_VALUE;
                for (int j = 0; j < c; j++) {
                    double sum = 0;
                    for (int k = 1; k <= HORIZON; k++) {
                        double[] q = p[j].centreAhead(k);
                        float[] truth = b[i + k];
                        double e = Math.hypot(q[0] - (truth[0] + truth[2]) / 2, q[1] - (truth[1] + truth[3]) / 2);
                        err[j][k - 1] += e;
                        sum += e;
                        cum[j][k - 1] += sum / k;
                        if (k == HORIZON && e < winnerErr) {
                            winnerErr = e;
                            winner = j;
                        }
                    }
                }
                best[winner]++;
            }
        }
        List<Score> out = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            double[] ade = new double[HORIZON], fde = new double[HORIZON];
            for (int k = 0; k < HORIZON; k++) {
                ade[k] = steps == 0 ? Double.NaN : cum[j][k] / steps;
                fde[k] = steps == 0 ? Double.NaN : err[j][k] / steps;
            }
            out.add(new Score(candidates.get(j).name(), ade, fde, steps == 0 ? 0 : (double) best[j] / steps, steps));
        }
        return out;
    }

    public static String format(List<Score> scores) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s %8s %8s %8s %8s %10s%n", "predictor", "ADE@1", "ADE@3", "FDE@3",
                "ADE@5", "FDE@5", "best FDE@5"));
        for (Score x : scores) {
            s.append(String.format(Locale.ROOT, "%-24s %8.2f %8.2f %8.2f %8.2f %8.2f %9.1f%%%n", x.name(), x.ade()[0], x.ade()[2], x.fde()[2], x.ade()[4],
                    x.fde()[4], 100 * x.best()));
        }
        return s.toString();
    }

    private static double[] centre(float[] b) {
        return new double[] {(b[0] + b[2]) / 2, (b[1] + b[3]) / 2};
    }

    private static final class Kalman implements Predictor {
        private final KalmanPredictor k = new KalmanPredictor();

        @Override
        public void observe(float[] box) {
            k.observe(box);
        }

        @Override
        public double[] centreAhead(int n) {
            return k.centreAhead(n);
        }
    }

    private static final class Still implements Predictor {
        private float[] last;

        @Override
        public void observe(float[] box) {
            last = box;
        }

        @Override
        public double[] centreAhead(int n) {
            return centre(last);
        }
    }

    private static final class Linear implements Predictor {
        private float[] prev;
        private float[] last;

        @Override
        public void observe(float[] box) {
            prev = last;
            last = box;
        }

        @Override
        public double[] centreAhead(int n) {
            double[] c = centre(last);
            if (prev == null) return c;
            double[] p = centre(prev);
            return new double[] {c[0] + n * (c[0] - p[0]), c[1] + n * (c[1] - p[1])};
        }
    }
}
