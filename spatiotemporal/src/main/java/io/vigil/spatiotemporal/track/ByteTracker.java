package io.vigil.spatiotemporal.track;

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

    public ByteTracker(Config cfg) {
        this.cfg = cfg;
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
        int n = boxes.length;
        frames++;
        for (Track t : tracks) KalmanBox.predict(t.mean, t.cov);
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
            else out.add(new TrackedBox(i, t.id, t.mean[4], t.mean[5]));
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
        frames++;
        List<Track> shown = new ArrayList<>();
        for (java.util.Iterator<Track> it = tracks.iterator(); it.hasNext(); ) {
            Track t = it.next();
            KalmanBox.predict(t.mean, t.cov);
            if (t.state == Track.State.LOST && frames - t.lastSeenFrame > cfg.maxLost()) {
                it.remove();
                continue;
            }
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
    public static final short VERSION = 1;

    /** The tracker's whole state (tracks, next id, frame count) as versioned bytes, for Flink keyed state. */
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
            if (v != VERSION) throw new IllegalArgumentException("tracker state: version " + v + " is not supported (reads " + VERSION + ")");
            ByteTracker tr = new ByteTracker(cfg);
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
                tr.tracks.add(t);
            }
            return tr;
        } catch (EOFException e) {
            throw new IllegalArgumentException("tracker state: truncated");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
