package io.vigil.events.analytics;

import io.vigil.events.rules.Geometry;
import io.vigil.events.rules.Homography;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleSet;

import io.vigil.events.AnalyticsEvent;
import io.vigil.events.AnalyticsType;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One camera's analytics, frame by frame, for the camera's rules: zone visits (enter, exit with dwell, loitering once
 * per visit), line crossings with direction, speeds (metres per second through the camera's calibration, else pixels
 * per second) and speeding. The state is per track and per (rule, track), plain data so the operator can checkpoint
 * it ({@link CameraAnalyticsSerializer}).
 *
 * <p>Hysteresis: a change (inside/outside a zone, the side of a line) counts only once the object's anchor has been on
 * the new side for {@code minFrames} consecutive frames in which the detector saw it; the event is stamped with the
 * frame that confirmed it, and a visit's dwell counts from the first of those frames. An object that steps over a line
 * and back within fewer frames is never counted. A line is crossed only where it is drawn: the anchor must be between
 * its end points when the new side is confirmed.
 *
 * <p>Only what was seen confirms: a {@code predicted} object (the tracker's guess for a frame the detector skipped)
 * keeps its track's visits and sides alive and moves its speed, but it neither counts towards a change nor cancels
 * one, and fires no loitering or speeding; those wait for the next frame the detector ran on. So a person carried
 * over a line by the prediction, who had stopped short of it, is not counted.
 *
 * <p>Visits end cleanly: a track not seen for {@link #LOST_FRAMES} frames, or a camera reset (the job's
 * {@code ResetPolicy}), ends its open zone visits with a {@code zone-exit} that says why, and forgets its line sides,
 * so a track that comes back never makes a phantom crossing. The dwell of a visit ended by a loss stops at the last
 * frame the detector saw the track in.
 *
 * <p>Identity across short losses: the tracker may give a person a new id after an occlusion (behind a post, a missed
 * detection run). A track first seen within {@link #RELINK_FRAMES} frames and {@link #RELINK_DISTANCE} of where a
 * track now missing was last seen takes that track's history over (its visits, line sides and speed samples; the
 * nearest such track when several qualify), so the crossing made while hidden is counted once and a visit goes on
 * with its dwell instead of ending "track lost" and starting again.
 */
public final class CameraAnalytics {
    /** Frames a track may go unseen before its visits end (the tracker keeps a lost track 30 frames). */
    public static final int LOST_FRAMES = 30;
    /** A new track first seen within this many frames of where a lost one was last seen takes over its visits and sides. */
    public static final int RELINK_FRAMES = 20;
    /** ... and within this distance of it, in frame units (0..1) of the anchor. */
    public static final double RELINK_DISTANCE = 0.08;
    /** Speed is measured over at least this much capture time (shorter spans are mostly box jitter). */
    static final long SPEED_SPAN_MICROS = 1_000_000;
    /** Positions kept per track for the speed. */
    static final int HISTORY = 32;
    /**
     * Samples closer in time than this replace the newest one instead of adding one, so the {@link #HISTORY} positions
     * always span more than {@link #SPEED_SPAN_MICROS}, at 10 fps or at 60.
     */
    static final long SAMPLE_STEP_MICROS = 2 * SPEED_SPAN_MICROS / HISTORY;

    /** A track's recent anchors. */
    public static final class Motion {
        public long lastFrame;
        /** capture time of the last frame the detector saw the track in (not a prediction) */
        public long lastSeenMicros;
        public String label;
        public float[] box;
        /** ring of [tsMicros, x, y] in frame units 0..1 (anchor of the first rule's kind is not assumed: bottom-centre) */
        public final long[] ts = new long[HISTORY];
        public final double[] x = new double[HISTORY];
        public final double[] y = new double[HISTORY];
        public int count;
        public int head;

        void add(long t, double px, double py) {
            // the newest sample is kept once it is a step after the one before it; until then a newer one replaces it
            if (count < 2 || ts[head] - ts[Math.floorMod(head - 1, HISTORY)] >= SAMPLE_STEP_MICROS) head = (head + 1) % HISTORY;
            else count--;
            ts[head] = t;
            x[head] = px;
            y[head] = py;
            count = Math.min(HISTORY, count + 1);
        }
    }

    /** One track against one rule. */
    public static final class Visit {
        /** zone: confirmed inside; line: confirmed side (-1, +1; 0 = not known yet). */
        public boolean inside;
        public int side;
        /** the opposite state seen for this many consecutive frames, since {@link #pendingSinceMicros} */
        public int pending;
        public long pendingSinceMicros;
        /** zone: when the current visit began (the first frame inside of the confirming run). */
        public long enteredMicros;
        public boolean loitered;
        public boolean speeding;
    }

    public final Map<Long, Motion> tracks = new HashMap<>();
    /** rule id -> track -> visit */
    public final Map<String, Map<Long, Visit>> visits = new LinkedHashMap<>();

    private final double[] anchor = new double[2];
    private final double[] ground = new double[2];
    private final double[] ground0 = new double[2];

    /**
     * Runs the rules over one frame's tracked objects. Sets each object's {@code speed} / {@code speedUnit} and
     * {@code zones}; emits analytics events (without the frame position: the caller adds it) and, per zone rule and
     * label, the frame's occupancy.
     */
    public void observe(DetectionEvent e, RuleSet rules, Consumer<AnalyticsEvent> events, OccupancySink occupancy) {
        if (e.width <= 0 || e.height <= 0) return;
        Homography calibration = rules.calibration(e.camera);
        String unit = calibration == null ? "px/s" : "m/s";
        List<Rule> mine = rules.forCamera(e.camera);
        for (DetectedObject o : e.objects) {
            if (o.track < 0) continue;
            Rule.Anchor.BOTTOM_CENTRE.of(o.box, e.width, e.height, anchor);
            if (!o.predicted && !tracks.containsKey(o.track)) relink(o.track, e, anchor[0], anchor[1]);
            Motion m = tracks.computeIfAbsent(o.track, k -> new Motion());
            m.add(e.tsMicros, anchor[0], anchor[1]);
            m.lastFrame = e.frame;
            if (!o.predicted) m.lastSeenMicros = e.tsMicros;
            m.label = o.label;
            m.box = o.box;
            double speed = speed(m, calibration, e.width, e.height);
            if (!Double.isNaN(speed)) {
                o.speed = (float) speed;
                o.speedUnit = unit;
            }
        }
        Map<String, int[]> occupied = new LinkedHashMap<>(); // "rule\u0000label" -> count
        for (Rule r : mine) {
            if (r.kind() == Rule.Kind.CALIBRATION) continue;
            Map<Long, Visit> byTrack = visits.computeIfAbsent(r.id(), k -> new HashMap<>());
            if (r.kind() == Rule.Kind.ZONE) for (String l : r.classes()) occupied.put(r.id() + "\u0000" + l, new int[1]);
            for (DetectedObject o : e.objects) {
                if (o.track < 0 || !r.appliesTo(o.label)) continue;
                r.anchor().of(o.box, e.width, e.height, anchor);
                Visit v = byTrack.computeIfAbsent(o.track, k -> new Visit());
                if (r.kind() == Rule.Kind.ZONE) {
                    zone(r, e, o, v, events, unit);
                    if (v.inside) {
                        occupied.get(r.id() + "\u0000" + o.label)[0]++;
                        o.zones = add(o.zones, r.id());
                    }
                } else {
                    line(r, e, o, v, events, unit);
                }
            }
        }
        for (Map.Entry<String, int[]> oc : occupied.entrySet()) {
            String[] k = oc.getKey().split("\u0000", 2);
            occupancy.accept(k[0], k[1], oc.getValue()[0]);
        }
        endLost(e, rules, events);
    }

    private void zone(Rule r, DetectionEvent e, DetectedObject o, Visit v, Consumer<AnalyticsEvent> events, String unit) {
        if (o.predicted) return; // a guess neither confirms nor cancels a change (see the class comment)
        boolean in = Geometry.contains(r.points(), anchor[0], anchor[1]);
        if (in == v.inside) {
            v.pending = 0;
        } else if (++v.pending == 1) {
            v.pendingSinceMicros = e.tsMicros;
        }
        if (v.pending >= r.minFrames()) {
            v.pending = 0;
            v.inside = in;
            if (in) {
                v.enteredMicros = v.pendingSinceMicros;
                v.loitered = false;
                v.speeding = false;
                events.accept(event(e, r, o, AnalyticsType.ZONE_ENTER));
            } else {
                AnalyticsEvent x = event(e, r, o, AnalyticsType.ZONE_EXIT);
                x.dwellSeconds = (v.pendingSinceMicros - v.enteredMicros) / 1e6;
                events.accept(x);
            }
        }
        if (!v.inside) return;
        double dwell = (e.tsMicros - v.enteredMicros) / 1e6;
        if (!v.loitered && !Double.isNaN(r.loiterSeconds()) && dwell >= r.loiterSeconds()) {
            v.loitered = true;
            AnalyticsEvent x = event(e, r, o, AnalyticsType.LOITERING);
            x.dwellSeconds = dwell;
            events.accept(x);
        }
        if (!v.speeding && !Double.isNaN(r.maxSpeed()) && o.speedUnit != null && o.speed > r.maxSpeed()) {
            v.speeding = true;
            AnalyticsEvent x = event(e, r, o, AnalyticsType.SPEEDING);
            x.speed = o.speed;
            x.speedUnit = unit;
            events.accept(x);
        }
    }

    private void line(Rule r, DetectionEvent e, DetectedObject o, Visit v, Consumer<AnalyticsEvent> events, String unit) {
        if (o.predicted) return; // a guess neither confirms nor cancels a change (see the class comment)
        double[][] p = r.points();
        int s = Geometry.side(p[0][0], p[0][1], p[1][0], p[1][1], anchor[0], anchor[1]);
        if (s == 0) return; // on the line: wait for a side
        if (v.side == 0) { // first sight: the starting side, no event
            v.side = s;
            v.pending = 0;
            return;
        }
        if (s == v.side) {
            v.pending = 0;
            return;
        }
        if (++v.pending < r.minFrames()) return;
        v.pending = 0;
        int from = v.side;
        v.side = s;
        if (!Geometry.withinSegment(p[0][0], p[0][1], p[1][0], p[1][1], anchor[0], anchor[1])) return; // passed beside the drawn line
        AnalyticsEvent x = event(e, r, o, AnalyticsType.LINE_CROSS);
        x.direction = from < 0 ? "in" : "out";
        if (o.speedUnit != null) {
            x.speed = o.speed;
            x.speedUnit = unit;
        }
        events.accept(x);
        if (!Double.isNaN(r.maxSpeed()) && o.speedUnit != null && o.speed > r.maxSpeed()) {
            AnalyticsEvent sp = event(e, r, o, AnalyticsType.SPEEDING);
            sp.speed = o.speed;
            sp.speedUnit = unit;
            events.accept(sp);
        }
    }

    /** Gives a new track the history of the nearest track missing from this frame, lost recently and close by, if any. */
    private void relink(long track, DetectionEvent e, double x, double y) {
        long best = -1;
        double bestD = RELINK_DISTANCE;
        for (Map.Entry<Long, Motion> t : tracks.entrySet()) {
            Motion m = t.getValue();
            long gap = e.frame - m.lastFrame;
            if (gap < 1 || gap > RELINK_FRAMES || m.count == 0 || present(e, t.getKey())) continue;
            double d = Math.hypot(m.x[m.head] - x, m.y[m.head] - y);
            if (d <= bestD) {
                bestD = d;
                best = t.getKey();
            }
        }
        if (best < 0) return;
        tracks.put(track, tracks.remove(best));
        for (Map<Long, Visit> byTrack : visits.values()) {
            Visit v = byTrack.remove(best);
            if (v != null) byTrack.put(track, v);
        }
    }

    private static boolean present(DetectionEvent e, long track) {
        for (DetectedObject o : e.objects) if (o.track == track) return true;
        return false;
    }

    /** Ends the visits of tracks unseen for {@link #LOST_FRAMES} frames. */
    private void endLost(DetectionEvent e, RuleSet rules, Consumer<AnalyticsEvent> events) {
        List<Long> lost = new ArrayList<>();
        for (Map.Entry<Long, Motion> t : tracks.entrySet()) if (e.frame - t.getValue().lastFrame > LOST_FRAMES) lost.add(t.getKey());
        for (long t : lost) end(t, e, rules, "track lost", events);
    }

    /** The camera's history breaks (the job's reset policy): every open visit ends, with why. */
    public void reset(DetectionEvent e, RuleSet rules, String reason, Consumer<AnalyticsEvent> events) {
        for (long t : new ArrayList<>(tracks.keySet())) end(t, e, rules, reason, events);
        visits.clear();
    }

    private void end(long track, DetectionEvent e, RuleSet rules, String reason, Consumer<AnalyticsEvent> events) {
        Motion m = tracks.remove(track);
        for (Iterator<Map.Entry<String, Map<Long, Visit>>> it = visits.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Map<Long, Visit>> byRule = it.next();
            Visit v = byRule.getValue().remove(track);
            Rule r = rules.byId(byRule.getKey());
            if (v == null || r == null || r.kind() != Rule.Kind.ZONE || !v.inside) continue;
            AnalyticsEvent x = new AnalyticsEvent();
            x.camera = e.camera;
            x.frame = e.frame;
            x.tsMicros = e.tsMicros;
            x.rule = r.id();
            x.ruleName = r.name();
            x.type = AnalyticsType.ZONE_EXIT;
            x.track = track;
            x.label = m == null ? null : m.label;
            x.box = m == null || m.box == null ? null : m.box.clone();
            // a loss ends the visit where the track was last seen, not LOST_FRAMES later
            long endedMicros = reason.equals("track lost") && m != null && m.lastSeenMicros > 0 ? m.lastSeenMicros : e.tsMicros;
            x.dwellSeconds = Math.max(0, (endedMicros - v.enteredMicros) / 1e6);
            x.reason = reason;
            events.accept(x);
        }
    }

    /** Rules that are gone stop having visits (no events: the rule's owner removed it). */
    public void retainRules(java.util.Set<String> ids) {
        visits.keySet().retainAll(ids);
    }

    /** Speed of the anchor over the last ~{@link #SPEED_SPAN_MICROS} of the track, NaN until the track is that long. */
    private double speed(Motion m, Homography calibration, int width, int height) {
        long now = m.ts[m.head];
        int j = -1;
        for (int k = 1; k < m.count; k++) {
            int idx = Math.floorMod(m.head - k, HISTORY);
            if (now - m.ts[idx] >= SPEED_SPAN_MICROS) {
                j = idx;
                break;
            }
        }
        if (j < 0) return Double.NaN;
        double dt = (now - m.ts[j]) / 1e6;
        if (calibration == null) return Math.hypot((m.x[m.head] - m.x[j]) * width, (m.y[m.head] - m.y[j]) * height) / dt;
        calibration.apply(m.x[m.head], m.y[m.head], ground);
        calibration.apply(m.x[j], m.y[j], ground0);
        return Math.hypot(ground[0] - ground0[0], ground[1] - ground0[1]) / dt;
    }

    private static AnalyticsEvent event(DetectionEvent e, Rule r, DetectedObject o, AnalyticsType type) {
        AnalyticsEvent x = new AnalyticsEvent();
        x.camera = e.camera;
        x.frame = e.frame;
        x.tsMicros = e.tsMicros;
        x.rule = r.id();
        x.ruleName = r.name();
        x.type = type;
        x.track = o.track;
        x.label = o.label;
        x.box = o.box.clone();
        return x;
    }

    private static String[] add(String[] a, String s) {
        if (a == null) return new String[] {s};
        String[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    private static final int MAGIC = 0x56414E31; // "VAN1"
    private static final int VERSION = 2;

    /**
     * The state's versioned bytes: magic, version, the tracks (id, last frame, last seen (v2), label, box, the speed ring), then per rule
     * its visits (track, inside, side, pending, pending since, entered, loitered, speeding).
     */
    public byte[] toBytes() {
        try (java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream(256);
             java.io.DataOutputStream o = new java.io.DataOutputStream(bo)) {
            o.writeInt(MAGIC);
            o.writeInt(VERSION);
            o.writeInt(tracks.size());
            for (Map.Entry<Long, Motion> t : tracks.entrySet()) {
                Motion m = t.getValue();
                o.writeLong(t.getKey());
                o.writeLong(m.lastFrame);
                o.writeLong(m.lastSeenMicros);
                o.writeUTF(m.label == null ? "" : m.label);
                o.writeBoolean(m.box != null);
                if (m.box != null) for (int i = 0; i < 4; i++) o.writeFloat(m.box[i]);
                o.writeInt(m.count);
                o.writeInt(m.head);
                for (int i = 0; i < HISTORY; i++) {
                    o.writeLong(m.ts[i]);
                    o.writeDouble(m.x[i]);
                    o.writeDouble(m.y[i]);
                }
            }
            o.writeInt(visits.size());
            for (Map.Entry<String, Map<Long, Visit>> r : visits.entrySet()) {
                o.writeUTF(r.getKey());
                o.writeInt(r.getValue().size());
                for (Map.Entry<Long, Visit> v : r.getValue().entrySet()) {
                    Visit x = v.getValue();
                    o.writeLong(v.getKey());
                    o.writeBoolean(x.inside);
                    o.writeInt(x.side);
                    o.writeInt(x.pending);
                    o.writeLong(x.pendingSinceMicros);
                    o.writeLong(x.enteredMicros);
                    o.writeBoolean(x.loitered);
                    o.writeBoolean(x.speeding);
                }
            }
            o.flush();
            return bo.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads {@link #toBytes}; refuses other bytes naming what is wrong. */
    public static CameraAnalytics fromBytes(byte[] b) {
        CameraAnalytics a = new CameraAnalytics();
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(b))) {
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("analytics state: not VAN1 bytes");
            int version = in.readInt();
            if (version != 1 && version != VERSION) throw new IllegalArgumentException("analytics state: version " + version + ", this job reads 1 and " + VERSION);
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Motion m = new Motion();
                long id = in.readLong();
                m.lastFrame = in.readLong();
                m.lastSeenMicros = version >= 2 ? in.readLong() : -1; // v1: unknown, set from the ring below
                String label = in.readUTF();
                m.label = label.isEmpty() ? null : label;
                if (in.readBoolean()) m.box = new float[] {in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat()};
                m.count = in.readInt();
                m.head = in.readInt();
                for (int k = 0; k < HISTORY; k++) {
                    m.ts[k] = in.readLong();
                    m.x[k] = in.readDouble();
                    m.y[k] = in.readDouble();
                }
                if (m.lastSeenMicros < 0) m.lastSeenMicros = m.count > 0 ? m.ts[m.head] : 0;
                a.tracks.put(id, m);
            }
            int rules = in.readInt();
            for (int i = 0; i < rules; i++) {
                Map<Long, Visit> byTrack = new HashMap<>();
                a.visits.put(in.readUTF(), byTrack);
                int vs = in.readInt();
                for (int k = 0; k < vs; k++) {
                    long t = in.readLong();
                    Visit x = new Visit();
                    x.inside = in.readBoolean();
                    x.side = in.readInt();
                    x.pending = in.readInt();
                    x.pendingSinceMicros = in.readLong();
                    x.enteredMicros = in.readLong();
                    x.loitered = in.readBoolean();
                    x.speeding = in.readBoolean();
                    byTrack.put(t, x);
                }
            }
            if (in.available() > 0) throw new IllegalArgumentException("analytics state: " + in.available() + " bytes after the end");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("analytics state: truncated (" + b.length + " bytes)", e);
        }
        return a;
    }

    /** Receives, per zone rule and label, how many objects were inside at this frame. */
    @FunctionalInterface
    public interface OccupancySink {
        void accept(String rule, String label, int count);
    }
}
