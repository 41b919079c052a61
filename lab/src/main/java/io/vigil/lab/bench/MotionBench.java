package io.vigil.lab.bench;

import io.vigil.spatiotemporal.model.MotionModel;
import io.vigil.spatiotemporal.stream.StreamState;
import io.vigil.spatiotemporal.track.KalmanPredictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code vigil bench motion}: the cost of one track update with each motion predictor, one thread: the selective-scan
 * model's streaming step (its 5-frame forecast included) against the tracker's Kalman filter (predict + update, and
 * its 5-frame forecast), over walkers' boxes.
 */
public final class MotionBench {
    private MotionBench() {}

    public static List<String> run(Path model, int[] tracks, double seconds) {
        List<String> rows = new ArrayList<>();
        rows.add("predictor,tracks,us_per_track_update,updates");
        MotionModel m = MotionModel.load(model, null);
        for (int n : tracks) {
            float[][][] boxes = walk(n, 512);
            // the SSM: one step per box from each track's state
            StreamState[] states = new StreamState[n];
            for (int i = 0; i < n; i++) states[i] = m.newState();
            float[] ahead = new float[2 * MotionModel.HORIZON];
            long[] done = {0};
            double us = time(seconds, f -> {
                for (int i = 0; i < n; i++) m.step(f == 0 ? null : boxes[i][(f - 1) % 512], boxes[i][f % 512], 768, 576, states[i], ahead);
                done[0] += n;
            }) / n;
            rows.add(String.format(Locale.ROOT, "selective scan (step + 5-frame forecast),%d,%.2f,%d", n, us, done[0]));
            KalmanPredictor[] k = new KalmanPredictor[n];
            for (int i = 0; i < n; i++) k[i] = new KalmanPredictor();
            long[] kd = {0};
            double kus = time(seconds, f -> {
                for (int i = 0; i < n; i++) {
                    k[i].observe(boxes[i][f % 512]);
                    k[i].centreAhead(MotionModel.HORIZON);
                }
                kd[0] += n;
            }) / n;
            rows.add(String.format(Locale.ROOT, "kalman (predict + update + 5-frame forecast),%d,%.2f,%d", n, kus, kd[0]));
        }
        return rows;
    }

    private interface Frame {
        void run(int f);
    }

    /** Microseconds per frame: warm-up for a third of the time, then the median of 5 timed slices. */
    private static double time(double seconds, Frame body) {
        int f = 0;
        long end = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < end) body.run(f++);
        double[] slices = new double[5];
        for (int s = 0; s < 5; s++) {
            int frames = 0;
            long t0 = System.nanoTime(), stop = t0 + (long) (seconds / 5 * 1e9);
            while (System.nanoTime() < stop) {
                body.run(f++);
                frames++;
            }
            slices[s] = (System.nanoTime() - t0) / 1e3 / frames;
        }
        java.util.Arrays.sort(slices);
        return slices[2];
    }

    private static float[][][] walk(int n, int frames) {
        Random r = new Random(1);
        float[][][] b = new float[n][frames][];
        for (int i = 0; i < n; i++) {
            double x = 100 + r.nextInt(500), y = 100 + r.nextInt(300), vx = r.nextGaussian() * 3, vy = r.nextGaussian();
            for (int f = 0; f < frames; f++) {
                double cx = x + vx * (f % 100), cy = y + vy * (f % 100);
                b[i][f] = new float[] {(float) (cx - 15), (float) (cy - 40), (float) (cx + 15), (float) (cy + 40)};
            }
        }
        return b;
    }
}
