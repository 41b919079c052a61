package io.vigil.lab.bench;

import io.vigil.events.analytics.CameraAnalytics;
import io.vigil.events.rules.InvalidRuleException;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleJson;
import io.vigil.events.rules.RuleSet;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the analytics stage's per-camera work ({@link CameraAnalytics#observe}) costs a frame: {@code objects} tracked
 * people walking across a 768 x 576 frame at 10 fps, against {@code rules} rules of the camera (half lines, half zones,
 * plus a calibration), one thread. The Flink operator around it adds its keyed-state access and the side outputs.
 */
public final class AnalyticsBench {
    private AnalyticsBench() {}

    /** CSV rows: rules, objects, us per frame, us per frame per rule, share of a 25 fps frame budget (40 ms). */
    public static List<String> run(int[] ruleCounts, int objects, int frames) throws InvalidRuleException {
        List<String> rows = new ArrayList<>();
        rows.add("rules,objects,us_per_frame,us_per_frame_per_rule,share_of_40ms");
        for (int n : ruleCounts) {
            RuleSet rules = RuleSet.of(rules(n, "cam"));
            DetectionEvent[] script = new DetectionEvent[frames];
            for (int f = 0; f < frames; f++) script[f] = frame(f, objects);
            // warm-up, then the median of 7 passes over the script, each from a fresh camera state
            for (int w = 0; w < 5; w++) pass(rules, script);
            double[] us = new double[7];
            for (int r = 0; r < us.length; r++) us[r] = pass(rules, script) / frames;
            java.util.Arrays.sort(us);
            double m = us[us.length / 2];
            rows.add(String.format(Locale.ROOT, "%d,%d,%.2f,%.3f,%.4f%%", n, objects, m, n == 0 ? 0 : m / n, 100 * m / 40_000));
        }
        return rows;
    }

    private static double pass(RuleSet rules, DetectionEvent[] script) {
        CameraAnalytics a = new CameraAnalytics();
        int[] sink = new int[1];
        long t0 = System.nanoTime();
        for (DetectionEvent e : script) a.observe(e, rules, x -> sink[0]++, (rule, label, count) -> sink[0] += count);
        return (System.nanoTime() - t0) / 1e3;
    }

    /** {@code n} rules of {@code camera} (ids prefixed with it), half lines and half zones over the frame, and a calibration. */
    static List<Rule> rules(int n, String camera) throws InvalidRuleException {
        List<Rule> out = new ArrayList<>();
        out.add(RuleJson.parse(null, ("{\"id\":\"" + camera + "-cal\",\"camera\":\"" + camera + "\",\"kind\":\"calibration\","
                + "\"points\":[[0,0],[1,0],[1,1],[0,1]],\"ground\":[[0,0],[20,0],[20,15],[0,15]]}").getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < n; i++) {
            double y = 0.1 + 0.8 * i / Math.max(1, n - 1);
            String json = i % 2 == 0
                    ? String.format(Locale.ROOT, "{\"id\":\"%s-l%d\",\"camera\":\"%s\",\"kind\":\"line\",\"points\":[[0.1,%.3f],[0.9,%.3f]]}",
                    camera, i, camera, y, y)
                    : String.format(Locale.ROOT, "{\"id\":\"%s-z%d\",\"camera\":\"%s\",\"kind\":\"zone\",\"loiterSeconds\":30,\"maxSpeed\":2,"
                    + "\"points\":[[0.2,%.3f],[0.8,%.3f],[0.8,%.3f],[0.5,%.3f],[0.2,%.3f]]}", camera, i, camera, y - 0.05, y - 0.05, y + 0.05, y + 0.1, y + 0.05);
            out.add(RuleJson.parse(null, json.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** {@code objects} people, each walking a diagonal at its own speed, wrapping at the frame's edges. */
    static DetectionEvent frame(int f, int objects) {
        DetectionEvent e = new DetectionEvent();
        e.camera = "cam";
        e.frame = f;
        e.tsMicros = 1_000_000_000L + f * 100_000L;
        e.width = 768;
        e.height = 576;
        e.objects = new DetectedObject[objects];
        for (int i = 0; i < objects; i++) {
            DetectedObject o = new DetectedObject();
            o.track = i + 1;
            o.label = "person";
            double x = (40 + 37.0 * i + f * (2 + i % 5)) % 728, y = (120 + 23.0 * i + f * (1 + i % 3)) % 536;
            o.box = new float[] {(float) x, (float) y, (float) x + 40, (float) y + 100};
            e.objects[i] = o;
        }
        return e;
    }
}
