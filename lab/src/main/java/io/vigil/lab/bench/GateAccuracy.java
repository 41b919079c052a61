package io.vigil.lab.bench;

import io.vigil.events.DetectionEvent;
import io.vigil.flink.gate.DetectGate;
import io.vigil.flink.gate.GateState;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.spatiotemporal.track.ByteTracker;
import io.vigil.spatiotemporal.track.SsmMotion;
import io.vigil.spatiotemporal.track.Track;
import io.vigil.spatiotemporal.track.TrackedBox;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.motion.MotionDetector;
import io.vigil.video.motion.Mog2Motion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What skipping the detector costs in accuracy, on the frames of one clip: the detector's output on every frame (objects
 * with score &gt;= 0.5, and ByteTrack's ids over every frame) is the reference; each mode runs the job's own
 * {@link DetectGate} and motion model (MOG2, {@link Mog2Motion}, as the job by default) over the same frames, the detector's output on the frames it runs and
 * the tracker's predictions on the others (its Kalman filter, or the selective scan: {@link #run(Path, String, List, List, List)}),
 * as the Track stage does, and is scored against the reference:
 * recall and precision at IoU &gt;= 0.5 (same class), and identity switches per 100 matched track-frames (a reference
 * track whose matched emitted id changes).
 */
public final class GateAccuracy {
    private GateAccuracy() {}

    static final float MIN_SCORE = 0.5f;
    static final double MIN_IOU = 0.5;

    /**
     * A way of running the gate: every N-th frame, with or without motion gating. {@code adaptive} is the job's default
     * (every frame asked for, the detector budget lowering the share when it cannot take them all); offline it runs at a
     * fixed share, {@code adaptive@0.44}, the share measured live.
     */
    public record Mode(String name, int every, boolean motion, double share, boolean adaptive) {
        public static Mode parse(String s) {
            String t = s.trim();
            if (t.equals("full")) return new Mode(t, 1, false, 1, false);
            if (t.equals("motion")) return new Mode(t, 1, true, 1, false);
            if (t.equals("adaptive")) return new Mode(t, 1, false, 1, true);
            if (t.startsWith("adaptive@")) return new Mode(t, 1, false, Double.parseDouble(t.substring("adaptive@".length())), true);
            if (t.startsWith("interval")) return new Mode(t, Integer.parseInt(t.substring("interval".length())), false, 1, false);
            if (t.startsWith("motion+interval")) return new Mode(t, Integer.parseInt(t.substring("motion+interval".length())), true, 1, false);
            throw new IllegalArgumentException("mode '" + s + "': full, intervalN, motion, motion+intervalN, adaptive or adaptive@SHARE");
        }
    }

    public record Row(String clip, String mode, int frames, double detectorShare, double recall, double precision, double idSwitchesPer100,
                      int referenceObjects) {}

    /** One frame's objects: boxes [n][4], classes, scores, track ids (-1 = none). */
    private record Objects(float[][] boxes, int[] classes, float[] scores, long[] tracks) {}

    public static List<Row> run(Path model, String clip, List<byte[]> jpegs, List<Mode> modes) {
        return run(model, clip, jpegs, modes, java.util.Collections.singletonList(null));
    }

    /**
     * Every mode with every motion predictor of the tracker, mode by mode; a row's mode reads "MODE ssm" for the
     * selective scan. Each predictor's identities are scored against the same predictor's tracker on every frame.
     *
     * @param motions the predictors: null for the Kalman filter
     */
    public static List<Row> run(Path model, String clip, List<byte[]> jpegs, List<Mode> modes, List<SsmMotion> motions) {
        Prepared p = prepare(model, jpegs);
        List<Row> rows = new ArrayList<>();
        List<List<Objects>> references = new ArrayList<>(); // per predictor, tracked once for all modes
        for (SsmMotion motion : motions) references.add(motion == null ? p.reference() : reference(p.all(), motion, p.width(), p.height()));
        for (Mode m : modes) {
            for (int k = 0; k < motions.size(); k++) rows.add(score(clip, m, p, null, motions.get(k), references.get(k)));
        }
        return rows;
    }

    /** One mode with motion gating decided by the given per-frame verdicts instead of the job's motion model, one row each. */
    public static List<Row> runWithMotion(Path model, String clip, List<byte[]> jpegs, Mode mode, List<boolean[]> moving) {
        Prepared p = prepare(model, jpegs);
        List<Row> rows = new ArrayList<>();
        for (boolean[] mv : moving) rows.add(score(clip, mode, p, mv, null, p.reference()));
        return rows;
    }

    private record Prepared(List<List<Detection>> all, List<byte[]> grey, int gw, int gh, List<Objects> reference, int width, int height) {}

    private static Prepared prepare(Path model, List<byte[]> jpegs) {
        List<List<Detection>> all = new ArrayList<>(jpegs.size());
        List<byte[]> grey = new ArrayList<>(jpegs.size());
        int gw = 0, gh = 0, width = 0, height = 0;
        try (JpegCodec jpeg = new JpegCodec(); Detector det = Detector.open(ModelBundle.load(model), DetectorOptions.defaults())) {
            for (byte[] j : jpegs) {
                BgrImage img = jpeg.decode(j);
                all.add(det.detect(img.pixels(), img.width(), img.height()).detections());
                width = img.width();
                height = img.height();
                JpegCodec.GreyImage g = jpeg.decodeGreyEighth(j, null);
                grey.add(g.pixels());
                gw = g.width();
                gh = g.height();
            }
        }
        return new Prepared(all, grey, gw, gh, reference(all, null, width, height), width, height);
    }

    /**
     * The reference: every frame detected and tracked, by the tracker with the motion predictor being scored (its
     * identities are what skipped frames may switch; the boxes are the detector's either way).
     */
    private static List<Objects> reference(List<List<Detection>> all, SsmMotion motion, int width, int height) {
        ByteTracker refTracker = new ByteTracker(ByteTracker.Config.defaults(), motion);
        List<Objects> reference = new ArrayList<>();
        for (List<Detection> d : all) reference.add(keep(tracked(refTracker, d, width, height)));
        return reference;
    }

    private static Row score(String clip, Mode m, Prepared p, boolean[] givenMotion, SsmMotion motionPredictor, List<Objects> reference) {
        List<List<Detection>> all = p.all();
        DetectGate gate = new DetectGate(new DetectGate.Settings(m.every(), m.motion(), 0, 50));
        // the job's default motion model, with its defaults (minArea 0.001, 5 warm-up frames)
        boolean[] moving = givenMotion;
        if (moving == null && m.motion()) {
            moving = new boolean[all.size()];
            try (Mog2Motion mog = new Mog2Motion(0.001, MotionDetector.Settings.defaults().warmupFrames())) {
                for (int i = 0; i < all.size(); i++) moving[i] = mog.update(p.grey().get(i), p.gw(), p.gh(), null).motion();
            }
        }
        GateState s = new GateState();
        ByteTracker tracker = new ByteTracker(ByteTracker.Config.defaults(), motionPredictor);
        int runs = 0, tp = 0, fp = 0, fn = 0, matchedTrackFrames = 0, switches = 0, refObjects = 0;
        Map<Long, Long> lastId = new HashMap<>(); // reference track -> the emitted track id it matched last
        for (int i = 0; i < all.size(); i++) {
            io.vigil.events.Inference inference = gate.decide(s, i, m.every(), m.share(), 0, !m.motion() || moving[i]);
            Objects emitted;
            if (inference.equals(DetectionEvent.FULL)) {
                runs++;
                Objects d = tracked(tracker, all.get(i), p.width(), p.height());
                float[] centres = new float[d.boxes().length * 2];
                for (int k = 0; k < d.boxes().length; k++) {
                    centres[2 * k] = (d.boxes()[k][0] + d.boxes()[k][2]) / 2;
                    centres[2 * k + 1] = (d.boxes()[k][1] + d.boxes()[k][3]) / 2;
                }
                gate.observeDetection(s, i, centres, 1.5f);
                emitted = keep(d);
            } else {
                emitted = keep(predicted(tracker.predict(p.width(), p.height())));
            }
            Objects ref = reference.get(i);
            refObjects += ref.boxes().length;
            boolean[] used = new boolean[emitted.boxes().length];
            for (int r = 0; r < ref.boxes().length; r++) {
                int best = -1;
                double bestIou = MIN_IOU;
                for (int e = 0; e < emitted.boxes().length; e++) {
                    if (used[e] || emitted.classes()[e] != ref.classes()[r]) continue;
                    double iou = iou(ref.boxes()[r], emitted.boxes()[e]);
                    if (iou >= bestIou) {
                        bestIou = iou;
                        best = e;
                    }
                }
                if (best < 0) {
                    fn++;
                    continue;
                }
                used[best] = true;
                tp++;
                long rt = ref.tracks()[r], et = emitted.tracks()[best];
                if (rt >= 0 && et >= 0) {
                    matchedTrackFrames++;
                    Long prev = lastId.put(rt, et);
                    if (prev != null && prev != et) switches++;
                }
            }
            for (boolean u : used) if (!u) fp++;
        }
        return new Row(clip, motionPredictor == null ? m.name() : m.name() + " ssm", all.size(), (double) runs / all.size(), tp + fn == 0 ? 1 : (double) tp / (tp + fn),
                tp + fp == 0 ? 1 : (double) tp / (tp + fp), matchedTrackFrames == 0 ? 0 : 100.0 * switches / matchedTrackFrames, refObjects);
    }

    /** Detections through the tracker, as the Track stage does: every detection, with its confirmed track's id. */
    private static Objects tracked(ByteTracker tracker, List<Detection> d, int width, int height) {
        int n = d.size();
        float[][] boxes = new float[n][];
        float[] scores = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            Detection x = d.get(i);
            boxes[i] = new float[] {x.x1(), x.y1(), x.x2(), x.y2()};
            scores[i] = x.score();
            classes[i] = x.classId();
        }
        long[] ids = new long[n];
        java.util.Arrays.fill(ids, -1);
        for (TrackedBox b : tracker.update(boxes, scores, classes, width, height)) ids[b.detection()] = b.trackId();
        return new Objects(boxes, classes, scores, ids);
    }

    private static Objects predicted(List<Track> tracks) {
        int n = tracks.size();
        float[][] boxes = new float[n][];
        float[] scores = new float[n];
        int[] classes = new int[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            Track t = tracks.get(i);
            double[] b = t.box();
            boxes[i] = new float[] {(float) b[0], (float) b[1], (float) b[2], (float) b[3]};
            scores[i] = t.score();
            classes[i] = t.classId();
            ids[i] = t.confirmed() ? t.id() : -1;
        }
        return new Objects(boxes, classes, scores, ids);
    }

    /** The objects scored: score >= 0.5 (a predicted box carries its track's last score). */
    private static Objects keep(Objects o) {
        List<Integer> k = new ArrayList<>();
        for (int i = 0; i < o.scores().length; i++) if (o.scores()[i] >= MIN_SCORE) k.add(i);
        float[][] b = new float[k.size()][];
        int[] c = new int[k.size()];
        float[] s = new float[k.size()];
        long[] t = new long[k.size()];
        for (int j = 0; j < k.size(); j++) {
            b[j] = o.boxes()[k.get(j)];
            c[j] = o.classes()[k.get(j)];
            s[j] = o.scores()[k.get(j)];
            t[j] = o.tracks()[k.get(j)];
        }
        return new Objects(b, c, s, t);
    }

    static double iou(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }
}
