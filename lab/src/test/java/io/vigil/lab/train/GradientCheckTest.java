package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reverse-mode gradients against central finite differences in double precision, for every parameter tensor of a
 * tiny two-layer model (conv window, gate, Δ, A, B, C, D, norms, head) and for its inputs; and the training forward
 * against the golden Mamba block.
 */
class GradientCheckTest {
    private static final double H = 1e-6;

    private static TrajectoryNet tinyNet() {
        TrajectoryNet net = new TrajectoryNet(2, 4, 2, 3, 3, 2, 3);
        net.init(7);
        Random r = new Random(3);
        // move every parameter off its initial pattern (norms of 1, D of 1, a zero head bias) so no term hides
        for (Param p : net.params()) for (int i = 0; i < p.size(); i++) p.value[i] += 0.3 * r.nextGaussian();
        return net;
    }

    private static double loss(TrajectoryNet net, TrajectoryNet.Tape tp, double[] in, int len, int label, double[] w) {
        net.forward(in, len, tp);
        return net.loss(tp, label, w);
    }

    @Test
    void everyParameterTensorAndTheInputsMatchFiniteDifferences() {
        TrajectoryNet net = tinyNet();
        int len = 7;
        Random r = new Random(11);
        double[] in = new double[len * 2];
        for (int i = 0; i < in.length; i++) in[i] = r.nextGaussian();
        double[] w = {0, 0.5, 1, 1, 0, 1, 2};
        int label = 1;
        TrajectoryNet.Tape tp = net.newTape();
        net.zeroGrad();
        loss(net, tp, in, len, label, w);
        double[] dIn = new double[len * 2];
        net.backward(tp, label, w, dIn);

        for (Param p : net.params()) {
            double[] numeric = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                double keep = p.value[i];
                p.value[i] = keep + H;
                double up = loss(net, tp, in, len, label, w);
                p.value[i] = keep - H;
                double down = loss(net, tp, in, len, label, w);
                p.value[i] = keep;
                numeric[i] = (up - down) / (2 * H);
            }
            assertRelativeError(p.name, p.grad, numeric);
        }
        double[] numeric = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            double keep = in[i];
            in[i] = keep + H;
            double up = loss(net, tp, in, len, label, w);
            in[i] = keep - H;
            double down = loss(net, tp, in, len, label, w);
            in[i] = keep;
            numeric[i] = (up - down) / (2 * H);
        }
        assertRelativeError("input", dIn, numeric);
    }

    @Test
    void theRegressionLossMatchesFiniteDifferencesToo() {
        TrajectoryNet net = tinyNet();
        int len = 6;
        Random r = new Random(5);
        double[] in = new double[len * 2], target = new double[len * 3];
        for (int i = 0; i < in.length; i++) in[i] = r.nextGaussian();
        for (int i = 0; i < target.length; i++) target[i] = r.nextGaussian();
        double[] w = {0, 1, 1, 0.5, 1, 0};
        TrajectoryNet.Tape tp = net.newTape();
        net.zeroGrad();
        net.forward(in, len, tp);
        net.mseBackward(tp, target, w, null);
        for (Param p : net.params()) {
            double[] numeric = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                double keep = p.value[i];
                p.value[i] = keep + H;
                net.forward(in, len, tp);
                double up = net.mseLoss(tp, target, w);
                p.value[i] = keep - H;
                net.forward(in, len, tp);
                double down = net.mseLoss(tp, target, w);
                p.value[i] = keep;
                numeric[i] = (up - down) / (2 * H);
            }
            assertRelativeError("mse " + p.name, p.grad, numeric);
        }
    }

    private static void assertRelativeError(String name, double[] analytic, double[] numeric) {
        double diff = 0, norm = 0;
        for (int i = 0; i < analytic.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            norm += analytic[i] * analytic[i] + numeric[i] * numeric[i];
        }
        double rel = Math.sqrt(diff) / Math.max(1e-12, Math.sqrt(norm));
        assertTrue(norm > 0, name + ": gradient is all zero");
        assertTrue(rel < 1e-4, name + ": relative error " + rel);
        // and element by element, so one wrong entry cannot hide in the tensor's norm: relative to the element, with the
        // tensor's largest gradient / 1e3, and 1e-6, as the floor for entries near zero (central differences with h = 1e-6
        // on a loss near 1 carry a round-off of about 1e-10)
        double scale = 0;
        for (double v : numeric) scale = Math.max(scale, Math.abs(v));
        double worst = 0;
        int at = -1;
        for (int i = 0; i < analytic.length; i++) {
            double e = Math.abs(analytic[i] - numeric[i]) / Math.max(Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])), Math.max(1e-3 * scale, 1e-6));
            if (e > worst) {
                worst = e;
                at = i;
            }
        }
        assertTrue(worst < 1e-3, name + "[" + at + "]: analytic " + (at < 0 ? 0 : analytic[at]) + ", numeric " + (at < 0 ? 0 : numeric[at])
                + ", relative error " + worst);
    }

    /** The training block's forward in double equals the golden Mamba block (atol/rtol 1e-4, as the README says). */
    @Test
    void trainingForwardEqualsTheGoldenBlock() throws Exception {
        Path file = Path.of(System.getProperty("vigil.golden.dir",
                Path.of(System.getProperty("vigil.shared", "../shared"), "golden").toString())).resolve("block.safetensors");
        assertTrue(Files.isRegularFile(file), "golden file missing: " + file);
        SafeTensors st = SafeTensors.read(file);
        Tensor in = st.get("in_proj.weight");
        int dm = in.dim(1);
        int e = in.dim(0) / 2;
        int k = st.get("conv1d.weight").dim(2);
        int n = st.get("A_log").dim(1);
        MambaLayerGrad block = new MambaLayerGrad("", dm, n, k, e / dm);
        assertEquals(st.get("dt_proj.weight").dim(1), block.dtRank);
        for (Param p : block.params()) {
            float[] f = st.get(p.name).floats();
            assertEquals(f.length, p.size(), p.name);
            for (int i = 0; i < f.length; i++) p.value[i] = f[i];
        }
        Tensor x = st.get("x");
        int batch = x.dim(0), len = x.dim(1);
        float[] want = st.get("y").floats();
        MambaLayerGrad.Tape tp = new MambaLayerGrad.Tape();
        double[] xs = new double[len * dm];
        double[] y = new double[len * dm];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < len * dm; i++) xs[i] = x.floats()[b * len * dm + i];
            block.forward(xs, len, tp, y);
            for (int i = 0; i < len * dm; i++) {
                double exp = want[b * len * dm + i];
                assertTrue(Math.abs(y[i] - exp) <= 1e-4 + 1e-4 * Math.abs(exp), "y[b=" + b + "][" + i + "] " + y[i] + " vs " + exp);
            }
        }
    }
}
