package io.vigil.lab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Learns where a tracked object goes next from real tracks, without labels: the future of a track is its own target.
 * The project's Mamba layers ({@link TrajectoryNet} as a regressor) read, per frame, the box's change since the
 * previous frame and say, at every step, how far the centre will move in the next 1..5 frames.
 *
 * <pre>
 * u_t  = s ⊙ (Δcx_t / W, Δcy_t / H, ln(w_t / w_{t-1}), ln(h_t / h_{t-1}))      u_0 = 0; s: per-input scale from the train side
 * y_t  = Mamba(u_0..u_t)                                                       [2 x 5]: (cx_{t+k} - cx_t) / W, (cy_{t+k} - cy_t) / H, times r
 * loss = mean over steps with t >= 1 and 5 frames to come of ||y_t - target_t||^2 / 10
 * </pre>
 *
 * Trained on windows of the train tracks from a zero state, with Adam; deterministic for a seed.
 */
public final class MotionTrainer {
    public static final int INPUTS = 4;
    public static final int OUTPUTS = 2 * MotionBaselines.HORIZON;

    public record Options(int dModel, int layers, int dState, int dConv, int expand, int epochs, double lr, long seed, int window) {
        public static Options defaults() {
            return new Options(16, 2, 8, 4, 2, 20, 3e-3, 1, 48);
        }

        public Options withEpochs(int e) {
            return new Options(dModel, layers, dState, dConv, expand, e, lr, seed, window);
        }

        public Options withSeed(long s) {
            return new Options(dModel, layers, dState, dConv, expand, epochs, lr, s, window);
        }
    }

    /** The trained network and its input and target scales. */
    public record Result(TrajectoryNet net, double[] inputScale, double targetScale, List<Double> trainLoss, double seconds) {}

    /** u: [n][INPUTS] unscaled inputs of one track. */
    static double[] inputs(MotionTracks.Track t) {
        float[][] b = t.boxes();
        double[] u = new double[b.length * INPUTS];
        for (int i = 1; i < b.length; i++) {
            float[] p = b[i - 1], q = b[i];
            u[i * INPUTS] = ((q[0] + q[2]) - (p[0] + p[2])) / 2.0 / t.width();
            u[i * INPUTS + 1] = ((q[1] + q[3]) - (p[1] + p[3])) / 2.0 / t.height();
            u[i * INPUTS + 2] = Math.log(Math.max(1e-3, q[2] - q[0]) / Math.max(1e-3, p[2] - p[0]));
            u[i * INPUTS + 3] = Math.log(Math.max(1e-3, q[3] - q[1]) / Math.max(1e-3, p[3] - p[1]));
        }
        return u;
    }

    /** Targets [n][OUTPUTS] (unscaled; 0 where the future runs out) and step weights [n]. */
    static double[][] targets(MotionTracks.Track t) {
        float[][] b = t.boxes();
        int n = b.length, h = MotionBaselines.HORIZON;
        double[] y = new double[n * OUTPUTS], w = new double[n];
        for (int i = 1; i + h < n; i++) {
            w[i] = 1;
            double cx = (b[i][0] + b[i][2]) / 2.0, cy = (b[i][1] + b[i][3]) / 2.0;
            for (int k = 1; k <= h; k++) {
                y[i * OUTPUTS + 2 * (k - 1)] = ((b[i + k][0] + b[i + k][2]) / 2.0 - cx) / t.width();
                y[i * OUTPUTS + 2 * (k - 1) + 1] = ((b[i + k][1] + b[i + k][3]) / 2.0 - cy) / t.height();
            }
        }
        return new double[][] {y, w};
    }

    public static Result train(List<MotionTracks.Track> trainTracks, Options o, java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        // scales: each input and the targets to unit standard deviation over the train side
        double[] sum2 = new double[INPUTS];
        long n = 0;
        double tsum2 = 0;
        long tn = 0;
        for (MotionTracks.Track t : trainTracks) {
            double[] u = inputs(t);
            for (int i = 1; i < t.length(); i++) for (int j = 0; j < INPUTS; j++) sum2[j] += u[i * INPUTS + j] * u[i * INPUTS + j];
            n += t.length() - 1;
            double[][] yt = targets(t);
            for (int i = 0; i < t.length(); i++) {
                if (yt[1][i] == 0) continue;
                for (int c = 0; c < OUTPUTS; c++) tsum2 += yt[0][i * OUTPUTS + c] * yt[0][i * OUTPUTS + c];
                tn += OUTPUTS;
            }
        }
        if (n == 0 || tn == 0) throw new IllegalArgumentException("no track long enough to train on (need at least " + (MotionBaselines.HORIZON + 2) + " boxes)");
        double[] scale = new double[INPUTS];
        // at most 1000: a channel that hardly varies on the train side (boxes of constant size) must not turn rounding into signal
        for (int j = 0; j < INPUTS; j++) scale[j] = 1 / Math.max(1e-3, Math.sqrt(sum2[j] / n));
        double targetScale = 1 / Math.max(1e-6, Math.sqrt(tsum2 / tn));
        // windows of the train tracks, half overlapping
        List<double[][]> windows = new ArrayList<>(); // {u, y, w} per window, scaled
        for (MotionTracks.Track t : trainTracks) {
            double[] u = inputs(t);
            double[][] yt = targets(t);
            for (int from = 0; from < t.length(); from += Math.max(1, o.window() / 2)) {
                int len = Math.min(o.window(), t.length() - from);
                if (len < MotionBaselines.HORIZON + 2) break;
                double[] wu = new double[len * INPUTS], wy = new double[len * OUTPUTS], ww = new double[len];
                for (int i = 0; i < len; i++) {
                    for (int j = 0; j < INPUTS; j++) wu[i * INPUTS + j] = i == 0 ? 0 : u[(from + i) * INPUTS + j] * scale[j];
                    for (int c = 0; c < OUTPUTS; c++) wy[i * OUTPUTS + c] = yt[0][(from + i) * OUTPUTS + c] * targetScale;
                    ww[i] = i == 0 ? 0 : yt[1][from + i];
                }
                windows.add(new double[][] {wu, wy, ww});
                if (from + len >= t.length()) break;
            }
        }
        TrajectoryNet net = new TrajectoryNet(INPUTS, o.dModel(), o.layers(), o.dState(), o.dConv(), o.expand(), OUTPUTS);
        net.init(o.seed());
        Adam adam = new Adam(net.params(), 0.9, 0.999, 1e-8);
        TrajectoryNet.Tape tp = net.newTape();
        Random rnd = new Random(o.seed());
        List<Double> losses = new ArrayList<>();
        int batch = 8;
        for (int e = 0; e < o.epochs(); e++) {
            Collections.shuffle(windows, rnd);
            double total = 0;
            int inBatch = 0;
            net.zeroGrad();
            for (double[][] w : windows) {
                int len = w[2].length;
                net.forward(w[0], len, tp);
                total += net.mseLoss(tp, w[1], w[2]);
                net.mseBackward(tp, w[1], w[2], null);
                if (++inBatch == batch) {
                    adam.step(o.lr(), batch, 1.0);
                    net.zeroGrad();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) adam.step(o.lr(), inBatch, 1.0);
            losses.add(total / windows.size());
            if (log != null) log.accept(String.format(java.util.Locale.ROOT, "epoch %3d/%d  loss %.4f  (%d windows)", e + 1, o.epochs(), total / windows.size(), windows.size()));
        }
        return new Result(net, scale, targetScale, losses, (System.nanoTime() - t0) / 1e9);
    }

    /** The trained network as a predictor for {@link MotionBaselines}: it reads the track from its first box. */
    public static MotionBaselines.Candidate candidate(String name, Result r) {
        return new MotionBaselines.Candidate(name, t -> new SsmPredictor(r, t.width(), t.height()));
    }

    /** Runs the network over the boxes seen so far (from the track's start, as a per-track state would have). */
    static final class SsmPredictor implements MotionBaselines.Predictor {
        private final Result r;
        private final int width, height;
        private final List<float[]> boxes = new ArrayList<>();
        private final TrajectoryNet.Tape tp;
        private int forwardLen = -1;

        SsmPredictor(Result r, int width, int height) {
            this.r = r;
            this.width = width;
            this.height = height;
            this.tp = r.net().newTape();
        }

        @Override
        public void observe(float[] box) {
            boxes.add(box);
        }

        @Override
        public double[] centreAhead(int k) {
            int n = boxes.size();
            if (forwardLen != n) {
                MotionTracks.Track t = new MotionTracks.Track("", width, height, 0, 0, boxes.toArray(float[][]::new));
                double[] u = inputs(t);
                for (int i = 0; i < n; i++) for (int j = 0; j < INPUTS; j++) u[i * INPUTS + j] *= r.inputScale()[j];
                r.net().forward(u, n, tp);
                forwardLen = n;
            }
            float[] b = boxes.get(n - 1);
            double cx = (b[0] + b[2]) / 2.0, cy = (b[1] + b[3]) / 2.0;
            double dx = r.net().output(tp, n - 1, 2 * (k - 1)) / r.targetScale() * width;
            double dy = r.net().output(tp, n - 1, 2 * (k - 1) + 1) / r.targetScale() * height;
            return new double[] {cx + dx, cy + dy};
        }
    }

    /** The trained network with the metadata {@link io.vigil.spatiotemporal.model.MotionModel} reads, plus {@code extra}. */
    public static void write(java.nio.file.Path file, Result r, Options o, java.util.Map<String, String> extra) {
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("kind", "motion");
        meta.put("format", "vigil.motion/1");
        meta.put("inputs", "dcx/W, dcy/H, ln(w/w_prev), ln(h/h_prev)");
        meta.put("outputs", "(cx_{t+k}-cx_t)/W, (cy_{t+k}-cy_t)/H for k=1.." + MotionBaselines.HORIZON + ", times target_scale");
        meta.put("input_scale", java.util.Arrays.toString(r.inputScale()));
        meta.put("target_scale", Double.toString(r.targetScale()));
        meta.put("d_model", Integer.toString(o.dModel()));
        meta.put("layers", Integer.toString(o.layers()));
        meta.put("d_state", Integer.toString(o.dState()));
        meta.put("d_conv", Integer.toString(o.dConv()));
        meta.put("expand", Integer.toString(o.expand()));
        meta.putAll(extra);
        List<io.vigil.spatiotemporal.io.Tensor> ts = new ArrayList<>();
        for (Param p : r.net().params()) ts.add(io.vigil.spatiotemporal.io.Tensor.f32(p.name, p.shape, p.toFloats()));
        io.vigil.spatiotemporal.io.SafeTensors.write(file, ts, meta);
    }
}
