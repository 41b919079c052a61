package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What the dashboard knows about one camera, folded from its events: the latest detections with each track's trail
 * and action label, the gateway's status, frame rate and latency, and object counts per second over the last
 * minutes. Not thread-safe: {@link DashboardState} serialises access.
 */
final class CameraView {
    static final int TRAIL_POINTS = 30;
    static final int TRAIL_MAX_AGE_FRAMES = 50;
    static final int HISTORY_SECONDS = 300;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    final String id;
    private JsonNode spec;            // from vigil.cameras, URL redacted
    private JsonNode status;          // latest vigil.camera-status
    private ObjectNode latest;        // latest frame view (see frame())
    private final Map<Long, ArrayDeque<float[]>> trails = new HashMap<>();   // track -> [normX, normY, frame]
    private final Map<Long, ObjectNode> actions = new HashMap<>();           // track -> {label, score, frame}
    private final long[] captureTs = new long[20];                           // ring of recent frames' capture times
    private int captured;
    private final String[] inference = new String[50];                        // ring: the recent frames' inference
    private int inferred;
    private final long[] historySecond = new long[HISTORY_SECONDS];          // ring: epoch second of the bucket
    private final int[] historyObjects = new int[HISTORY_SECONDS];           // max objects in a frame of that second

    CameraView(String id) {
        this.id = id;
    }

    void spec(JsonNode redacted) {
        spec = redacted;
    }

    void status(JsonNode s) {
        status = s;
    }

    void action(JsonNode a) {
        if (!a.hasNonNull("track") || a.path("labels").isEmpty()) return;
        ObjectNode o = F.objectNode();
        o.put("label", a.path("labels").get(0).path("label").asText());
        o.put("score", a.path("labels").get(0).path("score").asDouble());
        o.put("frame", a.path("frame").asLong());
        actions.put(a.path("track").asLong(), o);
    }

    /** Folds a detection event in and returns the frame view the page draws. */
    ObjectNode detection(JsonNode e) {
        long frame = e.path("frame").asLong();
        long ts = e.path("ts").asLong();
        captureTs[captured++ % captureTs.length] = ts;
        JsonNode objects = e.path("objects");
        int count = objects.size();
        int slot = (int) Math.floorMod(ts / 1000, HISTORY_SECONDS);
        if (historySecond[slot] != ts / 1000) {
            historySecond[slot] = ts / 1000;
            historyObjects[slot] = 0;
        }
        historyObjects[slot] = Math.max(historyObjects[slot], count);

        ObjectNode v = F.objectNode();
        v.put("camera", id);
        v.put("frame", frame);
        v.put("ts", ts);
        v.put("width", e.path("width").asInt());
        v.put("height", e.path("height").asInt());
        v.put("count", count);
        v.put("latencyMs", e.path("latencyMs").asLong());
        v.put("fps", fps());
        inference[inferred++ % inference.length] = e.path("inference").asText("full");
        gate(v);
        ArrayNode objs = v.putArray("objects");
        for (JsonNode o : objects) {
            ObjectNode d = objs.addObject();
            d.put("label", o.path("label").asText());
            d.put("score", o.path("score").asDouble());
            d.set("box", o.path("box"));
            if (o.hasNonNull("track") && o.path("track").asLong() > 0) {
                long t = o.path("track").asLong();
                d.put("track", t);
                JsonNode bn = o.path("boxNorm");
                ArrayDeque<float[]> trail = trails.computeIfAbsent(t, k -> new ArrayDeque<>());
                trail.addLast(new float[] {(float) (bn.path(0).asDouble() + bn.path(2).asDouble()) / 2, (float) bn.path(3).asDouble(), frame});
                if (trail.size() > TRAIL_POINTS) trail.removeFirst();
                if (o.path("predicted").asBoolean(false)) d.put("predicted", true);
                ObjectNode act = actions.get(t);
                if (act != null) d.put("action", act.path("label").asText());
            }
        }
        for (Iterator<Map.Entry<Long, ArrayDeque<float[]>>> it = trails.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, ArrayDeque<float[]>> t = it.next();
            if (frame - (long) t.getValue().peekLast()[2] > TRAIL_MAX_AGE_FRAMES) {
                it.remove();
                actions.remove(t.getKey());
            }
        }
        ObjectNode tr = v.putObject("trails");
        trails.forEach((t, pts) -> {
            ArrayNode a = tr.putArray(Long.toString(t));
            for (float[] p : pts) a.addArray().add(p[0]).add(p[1]);
        });
        if (e.has("saliency")) v.set("saliency", e.get("saliency"));
        latest = v;
        return v;
    }

    /** The detector's share of the recent frames and the skipped ones by reason ({"detector":0.33,"skips":{"interval":0.67}}). */
    private void gate(ObjectNode v) {
        int n = Math.min(inferred, inference.length);
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) counts.merge(inference[i], 1, Integer::sum);
        v.put("detectorShare", n == 0 ? 1.0 : counts.getOrDefault("full", 0) / (double) n);
        ObjectNode skips = v.putObject("skips");
        counts.forEach((k, c) -> {
            if (!k.equals("full")) skips.put(k, c / (double) n);
        });
    }

    /** Frames per second of capture time over the recent frames. */
    double fps() {
        int n = Math.min(captured, captureTs.length);
        if (n < 2) return 0;
        long newest = captureTs[(captured - 1) % captureTs.length];
        long oldest = captureTs[(captured - n) % captureTs.length];
        return newest > oldest ? Math.round((n - 1) * 10000.0 / (newest - oldest)) / 10.0 : 0;
    }

    /** Everything about the camera, for a page that just connected. */
    ObjectNode snapshot() {
        ObjectNode s = F.objectNode();
        s.put("camera", id);
        if (spec != null) s.set("spec", spec);
        if (status != null) s.set("status", status);
        if (latest != null) s.set("latest", latest);
        s.set("history", history());
        return s;
    }

    /** [epochSecond, max objects] for the seconds with frames, oldest first. */
    ArrayNode history() {
        long newest = 0;
        for (long sec : historySecond) newest = Math.max(newest, sec);
        ArrayNode out = F.arrayNode();
        for (long sec = newest - HISTORY_SECONDS + 1; sec <= newest; sec++) {
            int slot = (int) Math.floorMod(sec, HISTORY_SECONDS);
            if (historySecond[slot] == sec && sec > 0) out.addArray().add(sec).add(historyObjects[slot]);
        }
        return out;
    }
}
