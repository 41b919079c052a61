package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.video.source.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Every camera's {@link CameraView} plus its most recent published frames (JPEG, by seq) so the page can show the
 * exact frame a detection event belongs to: with exactly-once delivery events trail the frames by about a
 * checkpoint interval. Updates go to one listener (the SSE hub) as (event name, JSON).
 */
public final class DashboardState {
    /** Frames kept per camera: about 6 s at 10 fps, more than a checkpoint interval of lag. */
    static final int FRAMES_KEPT = 64;

    private final Map<String, CameraView> cameras = new TreeMap<>();
    private final Map<String, LinkedHashMap<Long, byte[]>> frames = new TreeMap<>();
    private final BiConsumer<String, JsonNode> listener;
    private final AnalyticsBoard analytics;

    public DashboardState(BiConsumer<String, JsonNode> listener) {
        this(listener, System.currentTimeMillis() - CameraView.HISTORY_SECONDS * 1000L);
    }

    /** {@code analyticsSince}: analytics events from this time on are tallied (where the feed starts reading). */
    public DashboardState(BiConsumer<String, JsonNode> listener, long analyticsSince) {
        this.listener = listener;
        this.analytics = new AnalyticsBoard(analyticsSince);
    }

    /** Where the feeds start reading the timed topics (epoch ms): detections, analytics and counts from then on are shown. */
    public long analyticsSince() {
        return analytics.since();
    }

    /** A vigil.rules record (null value = deleted): the camera's rules go to the page. */
    public void rule(String id, byte[] value) {
        ObjectNode msg;
        synchronized (this) {
            String camera = analytics.rule(id, value);
            if (camera == null) return;
            msg = analyticsMessage(camera);
        }
        listener.accept("analytics", msg);
    }

    /** A vigil.analytics event. */
    public void analyticsEvent(JsonNode e) {
        ObjectNode msg;
        synchronized (this) {
            analytics.event(e);
            msg = analyticsMessage(e.path("camera").asText());
        }
        listener.accept("analytics", msg);
    }

    /** A vigil.counts window. */
    public void counts(JsonNode c) {
        ObjectNode msg;
        synchronized (this) {
            analytics.counts(c);
            msg = analyticsMessage(c.path("camera").asText());
        }
        listener.accept("analytics", msg);
    }

    /** The page's "analytics" update of a camera: its rules, latest events, tallies and windows. Called holding the lock. */
    private ObjectNode analyticsMessage(String camera) {
        ObjectNode msg = JsonNodeFactory.instance.objectNode().put("camera", camera);
        msg.set("analytics", analytics.camera(camera));
        return msg;
    }

    /** The camera's rules, parsed (clip overlays). */
    public synchronized java.util.List<io.vigil.events.rules.Rule> rules(String camera) {
        return analytics.parsedRules(camera);
    }

    public void detection(JsonNode e) {
        ObjectNode v;
        synchronized (this) {
            v = view(e.path("camera").asText()).detection(e);
        }
        listener.accept("frame", v);
    }

    public void action(JsonNode a) {
        synchronized (this) {
            view(a.path("camera").asText()).action(a);
        }
    }

    public void status(JsonNode s) {
        ObjectNode snap;
        synchronized (this) {
            CameraView v = view(s.path("camera").asText());
            v.status(s);
            snap = v.snapshot();
            snap.remove("history");
        }
        listener.accept("camera", snap);
    }

    /** A vigil.cameras record: the spec (its URL shown with the password masked), or null for a tombstone. */
    public void spec(String id, JsonNode spec) {
        if (spec == null) {
            synchronized (this) {
                cameras.remove(id);
                frames.remove(id);
            }
            ObjectNode gone = JsonNodeFactory.instance.objectNode().put("camera", id);
            listener.accept("removed", gone);
            return;
        }
        ObjectNode snap;
        synchronized (this) {
            ObjectNode shown = spec.deepCopy();
            if (shown.hasNonNull("url")) shown.put("url", Redaction.redact(shown.get("url").asText()));
            CameraView v = view(id);
            v.spec(shown);
            snap = v.snapshot();
            snap.remove("history");
        }
        listener.accept("camera", snap);
    }

    public synchronized void frame(String camera, long seq, byte[] jpeg) {
        LinkedHashMap<Long, byte[]> ring = frames.computeIfAbsent(camera, k -> new LinkedHashMap<>(FRAMES_KEPT * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > FRAMES_KEPT;
            }
        });
        ring.put(seq, jpeg);
    }

    /** The frame with this seq, or the newest one when seq is null; null when not (or no longer) kept. */
    public synchronized byte[] frameJpeg(String camera, Long seq) {
        LinkedHashMap<Long, byte[]> ring = frames.get(camera);
        if (ring == null || ring.isEmpty()) return null;
        if (seq != null) return ring.get(seq);
        byte[] last = null;
        for (byte[] b : ring.values()) last = b;
        return last;
    }

    public synchronized ArrayNode snapshot() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (CameraView v : cameras.values()) {
            ObjectNode snap = v.snapshot();
            snap.set("analytics", analytics.camera(v.id));
            out.add(snap);
        }
        return out;
    }

    private CameraView view(String id) {
        return cameras.computeIfAbsent(id, CameraView::new);
    }
}
