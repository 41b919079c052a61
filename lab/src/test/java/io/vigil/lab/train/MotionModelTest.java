package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.model.MotionModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The float32 streaming model, one step per box from the track's state, against the training network on whole tracks. */
class MotionModelTest {
    @TempDir
    Path tmp;

    @Test
    void steppingOneBoxAtATimeGivesWhatTheTrainingNetworkSaysOnTheWholePrefix() {
        MotionTracks.Split s = new MotionTracks(MotionTrainerTest.walkers(3)).splitByTime(0.6, 10);
        MotionTrainer.Options o = MotionTrainer.Options.defaults().withEpochs(2);
        MotionTrainer.Result r = MotionTrainer.train(s.train(), o, null);
        Path file = tmp.resolve("motion.safetensors");
        MotionTrainer.write(file, r, o, Map.of("seed", "1"));
        MotionModel m = MotionModel.load(file, "scalar");
        MotionTracks.Track t = s.test().get(0);
        StreamState state = m.newState();
        MotionTrainer.SsmPredictor reference = new MotionTrainer.SsmPredictor(r, t.width(), t.height());
        float[] ahead = new float[2 * MotionModel.HORIZON];
        double worst = 0;
        for (int i = 0; i < t.length(); i++) {
            float[] b = t.boxes()[i];
            m.step(i == 0 ? null : t.boxes()[i - 1], b, t.width(), t.height(), state, ahead);
            reference.observe(b);
            double cx = (b[0] + b[2]) / 2.0, cy = (b[1] + b[3]) / 2.0;
            for (int k = 1; k <= MotionModel.HORIZON; k++) {
                double[] want = reference.centreAhead(k);
                worst = Math.max(worst, Math.abs(cx + ahead[2 * (k - 1)] - want[0]));
                worst = Math.max(worst, Math.abs(cy + ahead[2 * (k - 1) + 1] - want[1]));
            }
        }
        assertTrue(worst < 0.01, "float32 steps within 0.01 px of the double-precision network: " + worst);
        assertEquals(t.length(), state.frames());
    }

    @Test
    void aFileThatIsNotAMotionModelIsRefusedNamingWhy() {
        MotionTracks.Split s = new MotionTracks(MotionTrainerTest.walkers(4)).splitByTime(0.6, 10);
        MotionTrainer.Options o = MotionTrainer.Options.defaults().withEpochs(1);
        Path file = tmp.resolve("other.safetensors");
        MotionTrainer.write(file, MotionTrainer.train(s.train(), o, null), o, Map.of("kind", "action"));
        assertTrue(assertThrows(SafeTensorsException.class, () -> MotionModel.load(file, null)).getMessage().contains("kind is action, not motion"));
    }
}
