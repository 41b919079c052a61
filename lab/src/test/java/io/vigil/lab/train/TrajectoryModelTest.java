package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The float32 streaming model against the double training network, and stepping against the whole sequence. */
class TrajectoryModelTest {
    @Test
    void steppingEqualsTheWholeSequenceAndTheTrainingNetwork() {
        TrajectoryTrainer.Options o = TrajectoryTrainer.Options.defaults();
        TrajectoryNet net = new TrajectoryNet(2, o.dModel(), o.layers(), o.dState(), o.dConv(), o.expand(), 4);
        net.init(5);
        Random r = new Random(2);
        for (Param p : net.params()) for (int i = 0; i < p.size(); i++) p.value[i] += 0.1 * r.nextGaussian();
        float scale = 80f;
        SafeTensors st = TrajectoryTrainer.toSafeTensors(net, o, scale, List.of("a", "b", "c", "d"), Map.of());
        TrajectoryModel m = TrajectoryModel.of(st, "scalar");
        int len = 300; // a long track: far beyond the 15 steps of a training row
        float[] disp = new float[len * 2];
        for (int i = 0; i < disp.length; i++) disp[i] = (float) (0.01 * r.nextGaussian());
        float[] whole = new float[len * 4];
        m.forward(disp, len, whole);
        StreamState s = m.newState();
        float[] step = new float[4];
        TrajectoryNet.Tape tape = net.newTape();
        double[] in = new double[len * 2];
        for (int i = 0; i < in.length; i++) in[i] = disp[i] * scale;
        net.forward(in, len, tape);
        for (int t = 0; t < len; t++) {
            m.step(disp[2 * t], disp[2 * t + 1], s, step);
            for (int c = 0; c < 4; c++) {
                assertEquals(whole[t * 4 + c], step[c], 1e-5, "step " + t + " class " + c + ": one point at a time = whole sequence");
                assertEquals(tape.prob(t, c), step[c], 1e-4, "step " + t + " class " + c + ": float32 = the double training network");
            }
        }
        assertEquals(len, s.frames());
    }
}
