package io.vigil.spatiotemporal.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.model.MotionModel;
import io.vigil.lab.train.MotionTracks;
import io.vigil.lab.train.MotionTrainer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tracker with the selective-scan motion predictor: skipped frames, identities, and its state through bytes. */
class SsmMotionTest {
    private static final int W = 768, H = 576;
    private static MotionModel model;

    /** A model that has learnt steady walks (synthetic tracks: the fixture, not a shipped model). */
    @BeforeAll
    static void train() throws Exception {
        Random r = new Random(7);
        List<MotionTracks.Track> tracks = new ArrayList<>();
        for (int id = 0; id < 40; id++) {
            int n = 60 + r.nextInt(40);
            double vx = r.nextGaussian() * 3, vy = r.nextGaussian() * 1.5, x = 100 + r.nextInt(500), y = 100 + r.nextInt(300);
            float[][] b = new float[n][];
            for (int i = 0; i < n; i++) b[i] = box(x + vx * i + r.nextGaussian() * 0.3, y + vy * i + r.nextGaussian() * 0.3, 30, 80);
            tracks.add(new MotionTracks.Track("synthetic", W, H, id, 0, b));
        }
        MotionTrainer.Options o = MotionTrainer.Options.defaults().withEpochs(12);
        Path file = Files.createTempFile("motion", ".safetensors");
        MotionTrainer.write(file, MotionTrainer.train(tracks, o, null), o, Map.of("seed", "1"));
        model = MotionModel.load(file, "scalar");
        Files.delete(file);
    }

    private static float[] box(double cx, double cy, double w, double h) {
        return new float[] {(float) (cx - w / 2), (float) (cy - h / 2), (float) (cx + w / 2), (float) (cy + h / 2)};
    }

    private static float[][] walkers(int f) {
        return new float[][] {box(100 + 4 * f, 200, 30, 80), box(600 - 3 * f, 220 + f, 30, 80)};
    }

    private static final float[] SCORES = {0.9f, 0.8f};
    private static final int[] CLASSES = {0, 0};

    /** Frame f: the detector runs on every third frame, the tracker predicts the others. */
    private static List<?> frame(ByteTracker t, int f) {
        if (f % 3 == 0) return t.update(walkers(f), SCORES, CLASSES, W, H);
        List<double[]> boxes = new ArrayList<>();
        for (Track k : t.predict(W, H)) boxes.add(k.box());
        return boxes.stream().map(b -> List.of(b[0], b[1], b[2], b[3])).toList();
    }

    @Test
    void walkersKeepTheirIdsAndTheirPredictedBoxesFollowThemBetweenDetectorRuns() {
        ByteTracker t = new ByteTracker(ByteTracker.Config.defaults(), new SsmMotion(model));
        ByteTracker kalman = new ByteTracker(ByteTracker.Config.defaults());
        List<TrackedBox> first = null;
        double worst = 0;
        boolean differs = false;
        for (int f = 0; f < 60; f++) {
            if (f % 3 == 0) {
                List<TrackedBox> out = t.update(walkers(f), SCORES, CLASSES, W, H);
                kalman.update(walkers(f), SCORES, CLASSES);
                if (first == null) first = out;
                for (int i = 0; i < 2; i++) assertEquals(first.get(i).trackId(), out.get(i).trackId(), "frame " + f);
                for (Track k : t.tracks()) assertEquals(f + 1, k.ssm.state.frames(), "one step per frame of the track, the skipped ones interpolated");
                continue;
            }
            List<Track> shown = t.predict(W, H);
            List<Track> shownKalman = kalman.predict();
            assertEquals(2, shown.size());
            for (int i = 0; i < 2; i++) {
                double[] b = shown.get(i).box();
                float[] truth = walkers(f)[i];
                if (f > 15) worst = Math.max(worst, Math.max(Math.abs((b[0] + b[2]) / 2 - (truth[0] + truth[2]) / 2),
                        Math.abs((b[1] + b[3]) / 2 - (truth[1] + truth[3]) / 2)));
                differs |= Math.abs(b[0] - shownKalman.get(i).box()[0]) > 1e-3;
            }
        }
        assertTrue(worst < 4, "a predicted centre within 4 px of the walker on skipped frames: " + worst);
        assertTrue(differs, "the selective scan predicts, not the Kalman filter");
    }

    @Test
    void aSnapshotRestoredMidWalkContinuesIdentically() {
        SsmMotion motion = new SsmMotion(model);
        ByteTracker a = new ByteTracker(ByteTracker.Config.defaults(), motion);
        for (int f = 0; f < 14; f++) frame(a, f); // stops on a predicted frame, between detector runs
        ByteTracker b = ByteTracker.fromBytes(a.toBytes(), ByteTracker.Config.defaults());
        b.useMotion(motion);
        assertArrayEquals(a.toBytes(), b.toBytes());
        for (int f = 14; f < 40; f++) assertEquals(frame(a, f), frame(b, f), "frame " + f);
        assertArrayEquals(a.toBytes(), b.toBytes());
        for (Track k : b.tracks()) assertNotNull(k.ssm, "each track carries its SSM state");
    }

    @Test
    void aKalmanOnlyVersion1CheckpointRestoresAndTheSsmTakesOverAtEachTracksNextBox() {
        ByteTracker old = new ByteTracker(ByteTracker.Config.defaults());
        for (int f = 0; f < 9; f++) old.update(walkers(f), SCORES, CLASSES);
        byte[] v1 = asVersion1(old.toBytes(), old.tracks().size());
        ByteTracker restored = ByteTracker.fromBytes(v1, ByteTracker.Config.defaults());
        restored.useMotion(new SsmMotion(model));
        for (Track k : restored.tracks()) assertNull(k.ssm);
        List<Long> ids = old.tracks().stream().map(Track::id).toList();
        List<TrackedBox> out = restored.update(walkers(9), SCORES, CLASSES, W, H);
        assertEquals(ids, out.stream().map(TrackedBox::trackId).toList(), "the same identities after the restore");
        for (Track k : restored.tracks()) assertNotNull(k.ssm, "an SSM state from the first box after the restore");
    }

    @Test
    void backToKalmanDropsTheSsmStatesAndAStateOfAnotherShapeIsNotUsed() {
        ByteTracker t = new ByteTracker(ByteTracker.Config.defaults(), new SsmMotion(model));
        for (int f = 0; f < 6; f++) frame(t, f);
        ByteTracker restored = ByteTracker.fromBytes(t.toBytes(), ByteTracker.Config.defaults());
        restored.useMotion(null);
        for (Track k : restored.tracks()) assertNull(k.ssm);
        // a restored tracker nobody gave a predictor predicts with the Kalman filter
        ByteTracker plain = ByteTracker.fromBytes(t.toBytes(), ByteTracker.Config.defaults());
        plain.update(walkers(6), SCORES, CLASSES);
        for (Track k : plain.tracks()) assertNull(k.ssm);
    }

    @Test
    void theSsmNeedsTheFrameSizeAndSaysSo() {
        ByteTracker t = new ByteTracker(ByteTracker.Config.defaults(), new SsmMotion(model));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.update(walkers(0), SCORES, CLASSES));
        assertTrue(e.getMessage().contains("frame size"), e.getMessage());
    }

    /** Version 2 bytes with no SSM state as version 1 wrote them: the same, less each track's "has an SSM state" flag. */
    private static byte[] asVersion1(byte[] v2, int tracks) {
        int header = 4 + 2 + 8 + 8 + 4, track = 8 + 4 + 1 + 1 + 4 + 4 + 8 + 8 + 8 * 8 + 64 * 8;
        assertEquals(header + tracks * (track + 1), v2.length);
        ByteBuffer out = ByteBuffer.allocate(header + tracks * track);
        out.put(v2, 0, header).putShort(4, (short) 1);
        for (int i = 0; i < tracks; i++) {
            assertEquals(0, v2[header + i * (track + 1) + track], "no SSM state");
            out.put(v2, header + i * (track + 1), track);
        }
        return out.array();
    }
}
