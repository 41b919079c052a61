package io.vigil.events.analytics;

import io.vigil.events.rules.InvalidRuleException;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleJson;
import io.vigil.events.rules.RuleSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.events.AnalyticsEvent;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Scripted anchors through the rules, frame by frame (a 1000 x 1000 frame at 10 fps; boxes 20 px wide, 60 px tall). */
public class CameraAnalyticsTest {
    static final String CAM = "cam-1";

    static Rule rule(String json) throws InvalidRuleException {
        return RuleJson.parse(null, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame with one person per (track, x, y) triple, the anchor (bottom-centre) at x, y in 0..1. */
    public static DetectionEvent frame(long seq, double... trackXy) {
        DetectionEvent e = new DetectionEvent();
        e.camera = CAM;
        e.frame = seq;
        e.tsMicros = 1_000_000_000L + seq * 100_000L;
        e.width = 1000;
        e.height = 1000;
        e.objects = new DetectedObject[trackXy.length / 3];
        for (int i = 0; i < e.objects.length; i++) {
            DetectedObject o = new DetectedObject();
            o.track = (long) trackXy[3 * i];
            o.label = "person";
            double x = trackXy[3 * i + 1] * 1000, y = trackXy[3 * i + 2] * 1000;
            o.box = new float[] {(float) (x - 10), (float) (y - 60), (float) (x + 10), (float) y};
            e.objects[i] = o;
        }
        return e;
    }

    final List<AnalyticsEvent> events = new ArrayList<>();
    final Map<String, Integer> occupancy = new TreeMap<>();

    void run(CameraAnalytics a, RuleSet rules, DetectionEvent e) {
        a.observe(e, rules, events::add, (rule, label, n) -> occupancy.merge(rule + "/" + label + "@" + e.frame, n, Integer::sum));
    }

    public static final String LINE = "{\"id\":\"door\",\"camera\":\"cam-1\",\"kind\":\"line\",\"points\":[[0.2,0.5],[0.8,0.5]]}";

    @Test
    void aLineCountsEachWayOnceAndIgnoresAStepOverAndBack() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(LINE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        // down through the line (left of A->B is above it: -1 -> +1 is "in"), then back up
        for (int k = 0; k < 10; k++) run(a, rules, frame(seq++, 7, 0.5, 0.41 + 0.02 * k));  // frames 0-9: 0.41 .. 0.59
        for (int k = 9; k >= 0; k--) run(a, rules, frame(seq++, 7, 0.5, 0.41 + 0.02 * k));  // frames 10-19: back up
        // another person steps over for two frames and back: minFrames 3, no count
        double[] ys = {0.45, 0.47, 0.49, 0.51, 0.53, 0.49, 0.47, 0.45};
        for (double y : ys) run(a, rules, frame(seq++, 8, 0.5, y));
        // and one passes beside the drawn line (x 0.9): no count
        for (int k = 0; k < 10; k++) run(a, rules, frame(seq++, 9, 0.9, 0.41 + 0.02 * k));
        assertEquals(List.of("line-cross in 7", "line-cross out 7"), events.stream().map(x -> x.type + " " + x.direction + " " + x.track).toList());
        // each crossing is confirmed on the 3rd frame past the line: y 0.51, 0.53, 0.55 -> frame 7; 0.49, 0.47, 0.45 -> frame 17
        assertEquals(7, events.get(0).frame);
        assertEquals(17, events.get(1).frame);
    }

    static final String ZONE = "{\"id\":\"bay\",\"camera\":\"cam-1\",\"kind\":\"zone\",\"points\":[[0.4,0.4],[0.6,0.4],[0.6,0.6],[0.4,0.6]],\"loiterSeconds\":2}";

    @Test
    void aZoneVisitEntersLoitersOnceAndExitsWithItsDwell() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(ZONE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int i = 0; i < 3; i++) run(a, rules, frame(seq++, 1, 0.3, 0.5));   // outside
        for (int i = 0; i < 40; i++) run(a, rules, frame(seq++, 1, 0.5, 0.5));  // inside 4 s: frames 3..42
        for (int i = 0; i < 5; i++) run(a, rules, frame(seq++, 1, 0.7, 0.5));   // out again
        assertEquals(List.of("zone-enter@5", "loitering@23", "zone-exit@45"), events.stream().map(x -> x.type + "@" + x.frame).toList());
        assertEquals(2.0, events.get(1).dwellSeconds, 1e-9, "loitering when the dwell reaches 2 s, counted from the first frame inside");
        assertEquals(4.0, events.get(2).dwellSeconds, 1e-9, "dwell from the first frame inside to the first frame outside");
        assertEquals(0, occupancy.get("bay/person@4"), "not yet confirmed inside");
        assertEquals(1, occupancy.get("bay/person@5"));
    }

    @Test
    void aLostTrackAndAResetEndTheVisitWithAReasonAndNoPhantomCrossing() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(ZONE), rule(LINE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int i = 0; i < 5; i++) run(a, rules, frame(seq++, 1, 0.5, 0.45, 2, 0.5, 0.45));
        for (int i = 0; i < CameraAnalytics.LOST_FRAMES + 1; i++) run(a, rules, frame(seq++, 2, 0.5, 0.45)); // track 1 vanishes
        assertEquals(List.of("zone-enter 1", "zone-enter 2", "loitering 2", "zone-exit 1 track lost"),
                events.stream().map(x -> x.type + " " + x.track + (x.reason == null ? "" : " " + x.reason)).toList());
        events.clear();
        DetectionEvent e = frame(seq++, 2, 0.5, 0.55);
        a.reset(e, rules, "seq jump", events::add);
        assertEquals(List.of("zone-exit 2 seq jump"), events.stream().map(x -> x.type + " " + x.track + " " + x.reason).toList());
        events.clear();
        // after the reset track 2 is first seen below the line: that is its starting side, not a crossing
        for (int i = 0; i < 5; i++) run(a, rules, frame(seq++, 2, 0.5, 0.55));
        assertTrue(events.stream().noneMatch(x -> x.type == io.vigil.events.AnalyticsType.LINE_CROSS), events.toString());
    }

    @Test
    void speedsInPixelsAndThroughACalibrationInMetres() throws Exception {
        String zone = "{\"id\":\"yard\",\"camera\":\"cam-1\",\"kind\":\"zone\",\"points\":[[0,0],[1,0],[1,1],[0,1]],\"maxSpeed\":2.5}";
        // 0..1 of the frame = 0..20 m on the ground both ways
        String cal = "{\"id\":\"cal\",\"camera\":\"cam-1\",\"kind\":\"calibration\",\"points\":[[0,0],[1,0],[1,1],[0,1]],\"ground\":[[0,0],[20,0],[20,20],[0,20]]}";
        RuleSet px = RuleSet.of(List.of(rule(zone.replace("2.5", "1000"))));
        CameraAnalytics a = new CameraAnalytics();
        DetectionEvent last = null;
        for (int i = 0; i < 15; i++) run(a, px, last = frame(i, 3, 0.1 + 0.01 * i, 0.5)); // 10 px a frame, 100 px/s
        assertEquals("px/s", last.objects[0].speedUnit);
        assertEquals(100, last.objects[0].speed, 1e-3);
        RuleSet metres = RuleSet.of(List.of(rule(zone), rule(cal)));
        CameraAnalytics b = new CameraAnalytics();
        events.clear();
        for (int i = 0; i < 15; i++) run(b, metres, last = frame(i, 3, 0.1 + 0.015 * i, 0.5)); // 0.3 m a frame, 3 m/s
        assertEquals("m/s", last.objects[0].speedUnit);
        assertEquals(3.0, last.objects[0].speed, 1e-3);
        assertEquals(List.of("zone-enter", "speeding"), events.stream().map(x -> x.type.wire()).toList(), "speeding once per visit");
        assertEquals(3.0, events.get(1).speed, 1e-3);
        assertEquals(List.of("yard"), List.of(last.objects[0].zones));
    }

    @Test
    void theStateSurvivesItsBytesMidVisit() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(ZONE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int i = 0; i < 10; i++) run(a, rules, frame(seq++, 1, 0.5, 0.5));
        CameraAnalytics restored = CameraAnalytics.fromBytes(a.toBytes());
        for (int i = 0; i < 5; i++) run(restored, rules, frame(seq++, 1, 0.8, 0.5));
        assertEquals(List.of("zone-enter", "zone-exit"), events.stream().map(x -> x.type.wire()).toList());
        assertEquals(1.0, events.get(1).dwellSeconds, 1e-9);
        assertEquals(a.toBytes().length, CameraAnalytics.fromBytes(a.toBytes()).toBytes().length);
    }

    /** The frame with every object marked as the tracker's prediction (the detector skipped it). */
    static DetectionEvent predicted(DetectionEvent e) {
        for (DetectedObject o : e.objects) o.predicted = true;
        return e;
    }

    @Test
    void aPredictionCarriedOverTheLineIsNoCrossing() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(LINE)));
        CameraAnalytics a = new CameraAnalytics();
        // detected walking down at 0.02 a frame up to 0.48, the detector then skips 4 frames, and the prediction goes on
        // walking (0.50 .. 0.56) while the person has stopped at 0.48, as the next detected frames show
        long seq = 0;
        for (int k = 0; k < 5; k++) run(a, rules, frame(seq++, 7, 0.5, 0.40 + 0.02 * k));
        for (int k = 1; k <= 4; k++) run(a, rules, predicted(frame(seq++, 7, 0.5, 0.48 + 0.02 * k)));
        for (int k = 0; k < 10; k++) run(a, rules, frame(seq++, 7, 0.5, 0.48));
        for (int k = 1; k <= 4; k++) run(a, rules, predicted(frame(seq++, 7, 0.5, 0.48 + 0.02 * k)));
        run(a, rules, frame(seq++, 7, 0.5, 0.48));
        assertEquals(List.of(), events, "guesses alone confirm nothing");
    }

    @Test
    void aRealCrossingIsConfirmedByDetectedFramesWithPredictionsBetween() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(LINE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        // interval 3: detected on frames 0, 3, 6, ...; predicted between; the person walks 0.40 -> 0.70 at 0.02 a frame
        for (int k = 0; k < 16; k++) {
            DetectionEvent e = frame(seq++, 7, 0.5, 0.40 + 0.02 * k);
            run(a, rules, k % 3 == 0 ? e : predicted(e));
        }
        // past the line (0.5) detected at frames 6 (0.52), 9 (0.58), 12 (0.64): the third is the confirming one
        assertEquals(List.of("line-cross in 7@12"), events.stream().map(x -> x.type + " " + x.direction + " " + x.track + "@" + x.frame).toList());
    }

    @Test
    void predictedFramesInsideAZoneNeitherEnterNorLoiter() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(ZONE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int i = 0; i < 3; i++) run(a, rules, frame(seq++, 1, 0.3, 0.5));
        for (int i = 0; i < 5; i++) run(a, rules, predicted(frame(seq++, 1, 0.5, 0.5)));
        run(a, rules, frame(seq++, 1, 0.3, 0.5));
        assertEquals(List.of(), events, "5 predicted frames inside: no entry");
        for (int i = 0; i < 3; i++) run(a, rules, frame(seq++, 1, 0.5, 0.5)); // frames 9-11: seen inside 3 times
        for (int i = 0; i < 30; i++) run(a, rules, predicted(frame(seq++, 1, 0.5, 0.5))); // dwell passes 2 s on guesses
        assertEquals(List.of("zone-enter@11"), events.stream().map(x -> x.type + "@" + x.frame).toList());
        run(a, rules, frame(seq++, 1, 0.5, 0.5));
        assertEquals(List.of("zone-enter@11", "loitering@42"), events.stream().map(x -> x.type + "@" + x.frame).toList(),
                "loitering waits for a frame the detector saw");
    }

    @Test
    void aVisitEndedByALossDwellsUntilTheTrackWasLastSeen() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(ZONE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int i = 0; i < 10; i++) run(a, rules, frame(seq++, 1, 0.5, 0.5)); // seen inside frames 0-9, entered at 0
        for (int i = 0; i < 5; i++) run(a, rules, predicted(frame(seq++, 1, 0.5, 0.5))); // 10-14 guessed
        for (int i = 0; i < CameraAnalytics.LOST_FRAMES + 1; i++) run(a, rules, frame(seq++)); // gone
        AnalyticsEvent exit = events.get(events.size() - 1);
        assertEquals("zone-exit track lost", exit.type + " " + exit.reason);
        assertEquals(0.9, exit.dwellSeconds, 1e-9, "frame 0 to frame 9, the last one the detector saw it in");
    }

    @Test
    void speedWorksAtSixtyFramesASecond() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule("{\"id\":\"yard\",\"camera\":\"cam-1\",\"kind\":\"zone\",\"points\":[[0,0],[1,0],[1,1],[0,1]]}")));
        CameraAnalytics a = new CameraAnalytics();
        DetectionEvent last = null;
        for (int i = 0; i < 120; i++) { // 2 s at 60 fps, 2 px a frame: 120 px/s
            DetectionEvent e = frame(i, 3, 0.1 + 0.002 * i, 0.5);
            e.tsMicros = 1_000_000_000L + i * 1_000_000L / 60;
            run(a, rules, last = e);
            if (i == 50) assertEquals(null, e.objects[0].speedUnit, "under 1 s of track: no speed yet");
        }
        assertEquals("px/s", last.objects[0].speedUnit, "a 60 fps camera gets a speed (HISTORY samples used to span 0.53 s)");
        assertEquals(120, last.objects[0].speed, 0.5);
    }

    @Test
    void readsVersion1State() throws Exception {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream o = new java.io.DataOutputStream(bo)) {
            o.writeInt(0x56414E31);
            o.writeInt(1);
            o.writeInt(1); // one track, v1 layout: id, last frame, label, box, ring
            o.writeLong(5);
            o.writeLong(40);
            o.writeUTF("person");
            o.writeBoolean(false);
            o.writeInt(1);
            o.writeInt(0);
            for (int i = 0; i < CameraAnalytics.HISTORY; i++) {
                o.writeLong(i == 0 ? 4_000_000L : 0);
                o.writeDouble(0.5);
                o.writeDouble(0.5);
            }
            o.writeInt(0);
        }
        CameraAnalytics a = CameraAnalytics.fromBytes(bo.toByteArray());
        assertEquals(40, a.tracks.get(5L).lastFrame);
        assertEquals(4_000_000L, a.tracks.get(5L).lastSeenMicros, "v1 had no last-seen time: the newest sample's");
    }

    @Test
    void aNewIdAfterAShortLossTakesTheLostTracksSideAndTheHiddenCrossingCountsOnce() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(LINE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int k = 0; k < 10; k++) run(a, rules, frame(seq++, 7, 0.5, 0.40 + 0.01 * k)); // track 7 above the line, to 0.49
        for (int k = 0; k < 4; k++) run(a, rules, frame(seq++));                             // hidden 10-13, crossing meanwhile
        for (int k = 0; k < 6; k++) run(a, rules, frame(seq++, 9, 0.5, 0.54 + 0.01 * k));   // back as track 9, below it
        assertEquals(List.of("line-cross in 9@16"), events.stream().map(x -> x.type + " " + x.direction + " " + x.track + "@" + x.frame).toList(),
                "track 9 carries track 7's side: the crossing made while hidden, once, on the 3rd frame past the line");
    }

    @Test
    void aVisitGoesOnUnderTheNewIdWithItsDwell() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(ZONE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int i = 0; i < 20; i++) run(a, rules, frame(seq++, 1, 0.5, 0.5));  // inside from frame 0 (entry at 2)
        for (int i = 0; i < 5; i++) run(a, rules, frame(seq++));                // lost 20-24
        for (int i = 0; i < 10; i++) run(a, rules, frame(seq++, 2, 0.52, 0.5)); // found again as track 2, 25-34
        for (int i = 0; i < 3; i++) run(a, rules, frame(seq++, 2, 0.8, 0.5));   // out at 35
        List<String> got = events.stream().map(x -> x.type + " " + x.track + "@" + x.frame).toList();
        assertEquals(List.of("zone-enter 1@2", "loitering 2@25", "zone-exit 2@37"), got, "one visit: no 'track lost', no second entry");
        assertEquals(3.5, events.get(2).dwellSeconds, 1e-9, "from the first frame inside (0) to the first outside (35)");
    }

    @Test
    void aNewTrackFarFromTheLostOneStartsItsOwnHistory() throws Exception {
        RuleSet rules = RuleSet.of(List.of(rule(LINE)));
        CameraAnalytics a = new CameraAnalytics();
        long seq = 0;
        for (int k = 0; k < 10; k++) run(a, rules, frame(seq++, 7, 0.3, 0.40 + 0.01 * k));
        for (int k = 0; k < 3; k++) run(a, rules, frame(seq++));
        for (int k = 0; k < 6; k++) run(a, rules, frame(seq++, 9, 0.6, 0.54 + 0.01 * k)); // 0.3 away: someone else
        assertEquals(List.of(), events, "its first sighting is its starting side, no crossing");
    }
}
