package io.vigil.lab.train;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.Tensor;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link TrajectoryNet} on labelled trajectories: per-point displacements in, class scores at every step,
 * cross-entropy weighted towards later steps, Adam with cosine decay, deterministic for a seed. Each epoch sees every
 * training row as recorded plus one longer, re-timed sequence per row: 1-4 rows of its class joined end to end, each
 * played at 0.5x, 1x, 2x or 3x (points split or merged) and the whole turned by a random angle, so the model holds up
 * on tracks that run for hundreds of frames, at other frame rates than the recordings' and in any direction. Accuracy
 * is the last step's label on the held-out rows, which are whole chains of overlapping windows with a purge around
 * them ({@link TrajectoryData#chainSplit}).
 */
public final class TrajectoryTrainer {
    /** Shape and schedule. */
    public record Options(int dModel, int layers, int dState, int dConv, int expand, int epochs, int batch, double lr, long seed,
                          double heldOut, boolean augment) {
        public static Options defaults() {
            return new Options(16, 2, 8, 4, 2, 30, 32, 4e-3, 1, 0.25, true);
        }

        public Options withSeed(long s) {
            return new Options(dModel, layers, dState, dConv, expand, epochs, batch, lr, s, heldOut, augment);
        }

        public Options withEpochs(int e) {
            return new Options(dModel, layers, dState, dConv, expand, e, batch, lr, seed, heldOut, augment);
        }

        public void validate() {
            if (dModel < 2 || dModel > 32) throw new IllegalArgumentException("d_model must be 2..32, got " + dModel);
            if (layers < 1 || layers > 2) throw new IllegalArgumentException("layers must be 1 or 2, got " + layers);
            if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            if (!(heldOut > 0 && heldOut < 1)) throw new IllegalArgumentException("held-out share must be in (0, 1), got " + heldOut);
        }
    }

    /** What training produced. */
    public record Result(TrajectoryNet net, float inputScale, double heldOutAccuracy, double trainAccuracy, int[][] confusion,
                         TrajectoryData.Split split, double seconds) {}

    private final TrajectoryData data;
    private final Options o;

    public TrajectoryTrainer(TrajectoryData data, Options options) {
        options.validate();
        this.data = data;
        this.o = options;
    }

    public Result train(Consumer<String> progress) {
        long t0 = System.nanoTime();
        TrajectoryData.Split split = data.chainSplit(o.heldOut(), o.seed(), TrajectoryData.PURGE_ROWS);
        float scale = inputScale(split.train());
        TrajectoryNet net = new TrajectoryNet(2, o.dModel(), o.layers(), o.dState(), o.dConv(), o.expand(), data.labels().size());
        net.init(o.seed());
        Adam adam = new Adam(net.params(), 0.9, 0.999, 1e-8);
        TrajectoryNet.Tape tape = net.newTape();
        Random rnd = new Random(o.seed() * 31 + 7);
        double[] in = new double[0];
        double[] weights = new double[0];
        int steps = 0;
        int totalSteps = 0;
        List<Sample> first = samples(split.train(), rnd);
        totalSteps = o.epochs() * ((first.size() + o.batch() - 1) / o.batch());
        double heldAcc = 0, trainAcc = 0;
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            long e0 = System.nanoTime();
            List<Sample> samples = epoch == 1 ? first : samples(split.train(), rnd);
            Collections.shuffle(samples, rnd);
            double lossSum = 0;
            for (int b = 0; b < samples.size(); b += o.batch()) {
                net.zeroGrad();
                int n = Math.min(o.batch(), samples.size() - b);
                for (int i = 0; i < n; i++) {
                    Sample s = samples.get(b + i);
                    int len = s.disp.length / 2;
                    if (in.length < len * 2) {
                        in = new double[len * 2];
                        weights = new double[len];
                    }
                    for (int j = 0; j < len * 2; j++) in[j] = s.disp[j] * scale;
                    for (int t = 0; t < len; t++) weights[t] = Math.min(1.0, (t + 1) / 4.0);
                    net.forward(in, len, tape);
                    lossSum += net.loss(tape, s.label, weights);
                    net.backward(tape, s.label, weights, null);
                }
                double lr = o.lr() * 0.5 * (1 + Math.cos(Math.PI * steps / totalSteps));
                adam.step(lr, n, 1.0);
                steps++;
            }
            trainAcc = accuracy(net, tape, split.train(), scale, null);
            int[][] confusion = new int[data.labels().size()][data.labels().size()];
            heldAcc = accuracy(net, tape, split.heldOut(), scale, confusion);
            progress.accept(String.format(Locale.ROOT, "epoch %3d/%d  loss %.4f  train %.2f %%  held-out %.2f %%  %.1f s",
                    epoch, o.epochs(), lossSum / samples.size(), 100 * trainAcc, 100 * heldAcc, (System.nanoTime() - e0) / 1e9));
            if (epoch == o.epochs()) {
                return new Result(net, scale, heldAcc, trainAcc, confusion, split, (System.nanoTime() - t0) / 1e9);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The last step's argmax over the given rows as recorded; fills {@code confusion[true][predicted]} if given. */
    public double accuracy(TrajectoryNet net, TrajectoryNet.Tape tape, int[] rows, float scale, int[][] confusion) {
        int ok = 0;
        double[] in = new double[2 * data.pointsPerRow()];
        for (int r : rows) {
            float[] d = data.displacements(r);
            int len = d.length / 2;
            for (int j = 0; j < d.length; j++) in[j] = d[j] * scale;
            net.forward(in, len, tape);
            int best = 0;
            for (int c = 1; c < net.classes; c++) if (tape.prob(len - 1, c) > tape.prob(len - 1, best)) best = c;
            if (best == data.classOf()[r]) ok++;
            if (confusion != null) confusion[data.classOf()[r]][best]++;
        }
        return rows.length == 0 ? 0 : (double) ok / rows.length;
    }

    private record Sample(float[] disp, int label) {}

    private List<Sample> samples(int[] train, Random rnd) {
        List<Sample> out = new ArrayList<>(train.length * 2);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < data.labels().size(); c++) byClass.add(new ArrayList<>());
        for (int r : train) byClass.get(data.classOf()[r]).add(r);
        for (int r : train) {
            out.add(new Sample(data.displacements(r), data.classOf()[r]));
            if (!o.augment()) continue;
            int c = data.classOf()[r];
            int parts = 1 + rnd.nextInt(4);
            List<float[]> segs = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                int row = p == 0 ? r : byClass.get(c).get(rnd.nextInt(byClass.get(c).size()));
                segs.add(retime(data.displacements(row), SPEEDS[rnd.nextInt(SPEEDS.length)]));
            }
            int total = 0;
            for (float[] s : segs) total += s.length;
            float[] joined = new float[total];
            int at = 0;
            for (float[] s : segs) {
                System.arraycopy(s, 0, joined, at, s.length);
                at += s.length;
            }
            rotate(joined, rnd.nextDouble() * 2 * Math.PI);
            out.add(new Sample(joined, c));
        }
        return out;
    }

    /** The recordings' frame (960x540): rotations are made in pixels, then normalised back. */
    private static final float REC_W = 960f, REC_H = 540f;

    /**
     * Turns every displacement by {@code angle} in pixel space, in place. A turned trajectory keeps its label: still stays
     * still, a line stays a line, and a rotation (unlike a mirror) keeps a circle's sense, so the held-out block's
     * directions need not all be in the training rows (a walker at 10 fps going down-right was labelled Clockwise
     * before this).
     */
    static void rotate(float[] d, double angle) {
        float cos = (float) Math.cos(angle), sin = (float) Math.sin(angle);
        for (int k = 0; k + 1 < d.length; k += 2) {
            float x = d[k] * REC_W, y = d[k + 1] * REC_H;
            d[k] = (cos * x - sin * y) / REC_W;
            d[k + 1] = (sin * x + cos * y) / REC_H;
        }
    }

    private static final double[] SPEEDS = {0.5, 1, 2, 3};

    /** Plays displacements at another speed: 2x and 3x merge consecutive steps, 0.5x splits each step in two. */
    static float[] retime(float[] d, double speed) {
        int n = d.length / 2;
        if (speed == 1) return d;
        if (speed < 1) {
            float[] out = new float[n * 4];
            for (int k = 0; k < n; k++) {
                out[4 * k] = out[4 * k + 2] = d[2 * k] / 2;
                out[4 * k + 1] = out[4 * k + 3] = d[2 * k + 1] / 2;
            }
            return out;
        }
        int f = (int) speed;
        int m = n / f;
        float[] out = new float[m * 2];
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < f; j++) {
                out[2 * k] += d[2 * (k * f + j)];
                out[2 * k + 1] += d[2 * (k * f + j) + 1];
            }
        }
        return out;
    }

    /** 1 / the standard deviation of the training displacements, so the embedding sees values of order one. */
    private float inputScale(int[] train) {
        double ss = 0;
        long n = 0;
        for (int r : train) {
            for (float v : data.displacements(r)) {
                ss += (double) v * v;
                n++;
            }
        }
        return (float) (1 / Math.sqrt(ss / n));
    }

    /** The trained network as float32 tensors with its shape, input scale and labels in the metadata. */
    public static SafeTensors toSafeTensors(TrajectoryNet net, Options o, float scale, List<String> labels, Map<String, String> extra) {
        List<Tensor> ts = new ArrayList<>();
        for (Param p : net.params()) ts.add(Tensor.f32(p.name, p.shape, p.toFloats()));
        Map<String, String> meta = new LinkedHashMap<>(
                TrajectoryModel.metadata(o.dModel(), o.layers(), o.dState(), o.dConv(), o.expand(), scale, labels));
        meta.putAll(extra);
        return SafeTensors.parse(SafeTensors.toBytes(ts, meta), "trained trajectory model");
    }
}
