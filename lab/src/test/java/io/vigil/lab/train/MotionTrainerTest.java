package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MotionTrainerTest {
    /** Walkers at random constant velocities with a little box jitter, one clip of 400 frames. */
    static List<MotionTracks.Track> walkers(long seed) {
        Random r = new Random(seed);
        List<MotionTracks.Track> out = new ArrayList<>();
        for (int id = 0; id < 40; id++) {
            int start = r.nextInt(300), n = 40 + r.nextInt(60);
            double vx = r.nextGaussian() * 3, vy = r.nextGaussian() * 1.5, x = 100 + r.nextInt(500), y = 100 + r.nextInt(300);
            float[][] b = new float[n][];
            for (int i = 0; i < n; i++) {
                double cx = x + vx * i + r.nextGaussian() * 0.3, cy = y + vy * i + r.nextGaussian() * 0.3;
                b[i] = new float[] {(float) (cx - 15), (float) (cy - 40), (float) (cx + 15), (float) (cy + 40)};
            }
            out.add(new MotionTracks.Track("synthetic", 768, 576, id, start, b));
        }
        out.add(new MotionTracks.Track("synthetic", 768, 576, 99, 399, new float[][] {{0, 0, 10, 10}})); // the clip's last frame
        return out;
    }

    @Test
    void learnsConstantVelocityFromTheTracksThemselvesAndIsDeterministicForASeed() {
        MotionTracks.Split s = new MotionTracks(walkers(1)).splitByTime(0.6, 10);
        MotionTrainer.Options o = MotionTrainer.Options.defaults().withEpochs(12);
        MotionTrainer.Result a = MotionTrainer.train(s.train(), o, null);
        MotionTrainer.Result b = MotionTrainer.train(s.train(), o, null);
        assertEquals(a.trainLoss(), b.trainLoss(), "the same seed: the same run");
        assertTrue(a.trainLoss().get(11) < 0.5 * a.trainLoss().get(0), "the loss falls: " + a.trainLoss());
        List<MotionBaselines.Candidate> c = new ArrayList<>(MotionBaselines.baselines());
        c.add(MotionTrainer.candidate("ssm", a));
        List<MotionBaselines.Score> scores = MotionBaselines.score(s.test(), c);
        double still = scores.get(1).fde()[4], ssm = scores.get(3).fde()[4];
        assertTrue(ssm < 0.5 * still, "held out: the model predicts the walk (FDE@5 " + ssm + " px) far better than standing still (" + still + " px)");
    }

    @Test
    void nothingLongEnoughIsRefusedWithTheReason() {
        List<MotionTracks.Track> shorts = List.of(new MotionTracks.Track("c", 10, 10, 1, 0, new float[][] {{0, 0, 1, 1}, {1, 1, 2, 2}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MotionTrainer.train(shorts, MotionTrainer.Options.defaults(), null));
        assertTrue(e.getMessage().contains("no track long enough"), e.getMessage());
    }
}
