package io.vigil.spatiotemporal.track;

import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.stream.StreamState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Multi-object tracking by detection, after ByteTrack (Zhang et al. 2022): Kalman-predicted boxes are matched by
 * IoU first to the high-score detections, then the still unmatched tracks to the LOW-score ones (occluded
 * objects keep their identity instead of being dropped), then new tracks to what is left. Matching is greedy by
 * IoU within the same class. A track is confirmed after {@code minHits} matches (at once in the very first
 * frame), kept through {@code maxLost} frames without a match, then removed. One instance per camera.
 *
 * <p>Where a track is expected next comes from its motion predictor: the constant-velocity Kalman filter
 * ({@code track.motion: kalman}), or a trained selective scan ({@link SsmMotion}, {@code ssm}) for the centre with the
 * filter's size. That prediction is what detections are matched against and what a frame without a detector run shows.
 */
public final class ByteTracker {
    /**
     * @param high      detections at or above this score take part in the first association
     * @param low       detections between low and high take part in the second
     * @param newTrack  an unmatched detection at or above this score starts a track
     * @param matchIou  minimum IoU, first association
     * @param lowIou    minimum IoU, second association (low-score detections)
     * @param maxLost   frames a lost track is kept
     * @param minHits   matches before a track is confirmed (and gets an id in events)
     */
    public record Config(float high, float low, float newTrack, float matchIou, float lowIou, int maxLost, int minHits)
            implements Serializable {
        public static Config defaults() {
            return new Config(0.5f, 0.1f, 0.6f, 0.2f, 0.5f, 30, 2);
        }

        public Config {
            if (!(low >= 0 && low <= high && high <= 1)) throw new IllegalArgumentException("tracker: need 0 <= low <= high <= 1");
            if (maxLost < 0 || minHits < 1) throw new IllegalArgumentException("tracker: maxLost >= 0 and minHits >= 1");
        }
    }

    private Config cfg;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;
    private long frames;
    private SsmMotion motion;   // null: the Kalman filter predicts
    private boolean motionSet;  // false on a tracker restored from bytes until useMotion: its tracks' SSM states wait

    public ByteTracker(Config cfg) {
        this(cfg, null);
    }

    /** @param motion the selective-scan predictor, or null for the Kalman filter */
    public ByteTracker(Config cfg, SsmMotion motion) {
        this.cfg = cfg;
        this.motion = motion;
        this.motionSet = true;
    }

    /** Whether this tracker predicts with exactly {@code m} (null: the Kalman filter) already. */
    public boolean usesMotion(SsmMotion m) {
        return motionSet && motion == m;
    }

    /**
     * Predicts with {@code m} from the next frame on (null: the Kalman filter). The tracks' SSM states (restored from
     * bytes, or from an earlier predictor) are kept when they fit the model's shape; any other track starts its state at
     * its next box. A tracker restored from bytes gets its predictor back this way.
     */
    public void useMotion(SsmMotion m) {
        motion = m;
        motionSet = true;
        for (Track t : tracks) {
            if (t.ssm == null) continue;
            if (m == null || !sameShape(t.ssm.state, m.shape())) t.ssm = null;
        }
    }

    private static boolean sameShape(StreamState a, StreamState b) {
        if (a.layers() != b.layers()) return false;
        for (int l = 0; l < a.layers(); l++) {
            MambaState x = a.layer(l);
            MambaState y = b.layer(l);
            if (x.dInner != y.dInner || x.dConv != y.dConv || x.dState != y.dState) return false;
        }
        return true;
    }

    private void checkMotion(int width, int height) {
        if (!motionSet) useMotion(null);
        if (motion != null && (width <= 0 || height <= 0)) {
            throw new IllegalArgumentException("tracker: the SSM motion predictor needs the frame size, got " + width + "x" + height);
        }
    }

    public Config config() {
        return cfg;
    }

    /**
     * Applies other thresholds and ages from the next {@link #update} on; the tracks stay. A tracker restored from its
     * bytes (which hold tracks, not configuration) gets its configuration back this way.
     */
    public void reconfigure(Config config) {
        this.cfg = Objects.requireNonNull(config, "config");
    }

    /**
     * Associates one frame's detections.
     *
     * @param boxes   [n][4] x1, y1, x2, y2 in pixels
     * @param scores  [n]
     * @param classes [n]
     * @return per detection (same order), its confirmed track id (or -1) and velocity
     */
    public List<TrackedBox> update(float[][] boxes, float[] scores, int[] classes) {
        return update(boxes, scores, classes, 0, 0);
    }

    /**
     * As {@link #update(float[][], float[], int[])}, for a frame of the given size (needed by the SSM predictor, which
     * works in fractions of the frame).
     */
    public List<TrackedBox> update(float[][] boxes, float[] scores, int[] classes, int width, int height) {
        checkMotion(width, height);
        int n = boxes.length;
        frames++;
        for (Track t : tracks) {
            KalmanBox.predict(t.mean, t.cov);
            if (motion != null) motion.advance(t);
        }
        long[] assigned = new long[n];
        Arrays.fill(assigned, -1);
        Track[] byDet = new Track[n];
        boolean[] trackUsed = new boolean[tracks.size()];

        List<Integer> high = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (scores[i] >= cfg.high()) high.add(i);
            else if (scores[i] >= cfg.low()) low.add(i);
        }
        // 1. confirmed tracks (tracked or lost) with high-score detections
        match(high, boxes, classes, byDet, trackUsed, cfg.matchIou(), t -> t.confirmed);
        // 2. tracks still tracked (not lost) with low-score detections
        match(low, boxes, classes, byDet, trackUsed, cfg.lowIou(), t -> t.confirmed && t.state == Track.State.TRACKED);
        // 3. unconfirmed tracks with the remaining high-score detections
        match(high, boxes, classes, byDet, trackUsed, 0.3f, t -> !t.confirmed);

        for (int i = 0; i < n; i++) {
            Track t = byDet[i];
            if (t == null) continue;
            KalmanBox.update(t.mean, t.cov, xyah(boxes[i]));
            if (motion != null) motion.observe(t, boxes[i], width, height);
            t.state = Track.State.TRACKED;
            t.hits++;
            t.score = scores[i];
            t.lastSeenFrame = frames;
            if (!t.confirmed && t.hits >= cfg.minHits()) t.confirmed = true;
        }
        List<Track> keep = new ArrayList<>();
        for (int k = 0; k < tracks.size(); k++) {
            Track t = tracks.get(k);
            if (!trackUsed[k]) {
                if (!t.confirmed) continue; // an unconfirmed track not seen again is dropped
                t.state = Track.State.LOST;
                if (frames - t.lastSeenFrame > cfg.maxLost()) continue;
            }
            keep.add(t);
        }
        tracks.clear();
        tracks.addAll(keep);
        for (int i : high) {
            if (byDet[i] != null || scores[i] < cfg.newTrack()) continue;
            Track t = new Track(nextId++, classes[i]);
            KalmanBox.initiate(xyah(boxes[i]), t.mean, t.cov);
            if (motion != null) motion.observe(t, boxes[i], width, height);
            t.state = Track.State.TRACKED;
            t.hits = 1;
            t.score = scores[i];
            t.lastSeenFrame = frames;
            t.startFrame = frames;
            t.confirmed = frames == 1 || cfg.minHits() <= 1;
            tracks.add(t);
            byDet[i] = t;
        }
        List<TrackedBox> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Track t = byDet[i];
            if (t == null || !t.confirmed) out.add(new TrackedBox(i, -1, 0, 0));
            else {
                double[] v = t.velocity();
                out.add(new TrackedBox(i, t.id, v[0], v[1]));
            }
        }
        return out;
    }

    /**
     * Advances the tracks by one frame that had no detection run (a frame the detector skipped, not one where it found
     * nothing): the Kalman prediction only, nothing matched, nothing created; a lost track past {@code maxLost} frames is
     * dropped as in {@link #update}.
     *
     * @return the tracks being tracked (not lost), their boxes and velocities now predicted: the confirmed ones and the
     *         ones seen once so far (a new object detected on the last run; without them it would be missing from every
     *         frame until the next run confirms it)
     */
    public List<Track> predict() {
        return predict(0, 0);
    }

    /** As {@link #predict()}, for a frame of the given size (needed by the SSM predictor). */
    public List<Track> predict(int width, int height) {
        checkMotion(width, height);
        frames++;
        List<Track> shown = new ArrayList<>();
        for (java.util.Iterator<Track> it = tracks.iterator(); it.hasNext(); ) {
            Track t = it.next();
            KalmanBox.predict(t.mean, t.cov);
            if (t.state == Track.State.LOST && frames - t.lastSeenFrame > cfg.maxLost()) {
                it.remove();
                continue;
            }
            if (motion != null) motion.advance(t);
            if (t.state == Track.State.TRACKED) shown.add(t);
        }
        return shown;
    }

    private interface Eligible {
        boolean test(Track t);
    }

    /** Greedy IoU matching of the given detections to eligible, unused tracks of the same class. */
    private void match(List<Integer> dets, float[][] boxes, int[] classes, Track[] byDet, boolean[] used, float minIou, Eligible ok) {
        List<double[]> pairs = new ArrayList<>(); // iou, det, track index
        for (int i : dets) {
            if (byDet[i] != null) continue;
            for (int k = 0; k < tracks.size(); k++) {
                Track t = tracks.get(k);
                if (used[k] || t.classId != classes[i] || !ok.test(t)) continue;
                double iou = iou(t.box(), boxes[i]);
                if (iou >= minIou) pairs.add(new double[] {iou, i, k});
            }
        }
        pairs.sort((a, b) -> Double.compare(b[0], a[0]));
        for (double[] p : pairs) {
            int i = (int) p[1];
            int k = (int) p[2];
            if (byDet[i] != null || used[k]) continue;
            byDet[i] = tracks.get(k);
            used[k] = true;
        }
    }

    /** Tracks alive now (confirmed, tracked or lost), oldest first. */
    public List<Track> tracks() {
        return Collections.unmodifiableList(tracks);
    }

    public long frames() {
        return frames;
    }

    static double[] xyah(float[] b) {
        double w = Math.max(1e-3, b[2] - b[0]);
        double h = Math.max(1e-3, b[3] - b[1]);
        return new double[] {b[0] + w / 2, b[1] + h / 2, w / h, h};
    }

    static double iou(double[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }

    // ---- state ----------------------------------------------------------------------------------------------

    public static final int MAGIC = 0x56545231; // "VTR1"
    public static final short VERSION = 2;

    /**
     * The tracker's whole state as versioned bytes, for Flink keyed state: next id, frame count, per track its identity,
     * bookkeeping and Kalman mean and covariance, and (version 2) its selective-scan state when it has one. Version 1
     * (no SSM states) still reads.
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + tracks.size() * 640);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeLong(nextId);
            out.writeLong(frames);
            out.writeInt(tracks.size());
            for (Track t : tracks) {
                out.writeLong(t.id);
                out.writeInt(t.classId);
                out.writeByte(t.state.ordinal());
                out.writeBoolean(t.confirmed);
                out.writeFloat(t.score);
                out.writeInt(t.hits);
                out.writeLong(t.lastSeenFrame);
                out.writeLong(t.startFrame);
                for (double v : t.mean) out.writeDouble(v);
                for (double v : t.cov) out.writeDouble(v);
                out.writeBoolean(t.ssm != null);
                if (t.ssm != null) writeSsm(out, t.ssm);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    public static ByteTracker fromBytes(byte[] bytes, Config cfg) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("tracker state: bad magic");
            short v = in.readShort();
            if (v != 1 && v != VERSION) throw new IllegalArgumentException("tracker state: version " + v + " is not supported (reads 1 and " + VERSION + ")");
            ByteTracker tr = new ByteTracker(cfg);
            tr.motionSet = false;
            tr.nextId = in.readLong();
            tr.frames = in.readLong();
            int n = in.readInt();
            if (n < 0 || n > 100_000) throw new IllegalArgumentException("tracker state: " + n + " tracks is out of range");
            for (int i = 0; i < n; i++) {
                Track t = new Track(in.readLong(), in.readInt());
                t.state = Track.State.values()[in.readByte()];
                t.confirmed = in.readBoolean();
                t.score = in.readFloat();
                t.hits = in.readInt();
                t.lastSeenFrame = in.readLong();
                t.startFrame = in.readLong();
                for (int j = 0; j < 8; j++) t.mean[j] = in.readDouble();
                for (int j = 0; j < 64; j++) t.cov[j] = in.readDouble();
                if (v >= 2 && in.readBoolean()) t.ssm = readSsm(in);
                tr.tracks.add(t);
            }
            return tr;
        } catch (EOFException e) {
            throw new IllegalArgumentException("tracker state: truncated");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSsm(DataOutputStream out, SsmTrack s) throws IOException {
        for (float f : s.fed) out.writeFloat(f);
        for (float f : s.seenCentre) out.writeFloat(f);
        for (float f : s.seenAhead) out.writeFloat(f);
        for (float f : s.ahead) out.writeFloat(f);
        out.writeInt(s.sinceSeen);
        out.writeDouble(s.centre[0]);
        out.writeDouble(s.centre[1]);
        byte[] state = s.state.toBytes();
        out.writeInt(state.length);
        out.write(state);
    }

    private static SsmTrack readSsm(DataInputStream in) throws IOException {
        float[] fed = new float[4], seenCentre = new float[2], seenAhead = new float[10], ahead = new float[10];
        for (int i = 0; i < fed.length; i++) fed[i] = in.readFloat();
        for (int i = 0; i < seenCentre.length; i++) seenCentre[i] = in.readFloat();
        for (int i = 0; i < seenAhead.length; i++) seenAhead[i] = in.readFloat();
        for (int i = 0; i < ahead.length; i++) ahead[i] = in.readFloat();
        int sinceSeen = in.readInt();
        double cx = in.readDouble(), cy = in.readDouble();
        int len = in.readInt();
        if (len < 0 || len > 1 << 24) throw new IllegalArgumentException("tracker state: an SSM state of " + len + " bytes is out of range");
        byte[] state = new byte[len];
        in.readFully(state);
        SsmTrack s = new SsmTrack(StreamState.fromBytes(state, null));
        System.arraycopy(fed, 0, s.fed, 0, 4);
        System.arraycopy(seenCentre, 0, s.seenCentre, 0, 2);
        System.arraycopy(seenAhead, 0, s.seenAhead, 0, 10);
        System.arraycopy(ahead, 0, s.ahead, 0, 10);
        s.sinceSeen = sinceSeen;
        s.centre[0] = cx;
        s.centre[1] = cy;
        return s;
    }
}
