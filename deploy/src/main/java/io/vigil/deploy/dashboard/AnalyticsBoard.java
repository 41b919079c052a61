package io.vigil.deploy.dashboard;

import io.vigil.events.AnalyticsType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.events.rules.InvalidRuleException;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard knows of the analytics, per camera: its rules (from {@code vigil.rules}), the latest analytics
 * events, a running tally per rule (line in/out, zone entries/exits, loitering and speeding events since
 * {@link #since()}), and each rule's newest closed window from {@code vigil.counts}. Not thread-safe:
 * {@link DashboardState} serialises access.
 */
final class AnalyticsBoard {
    static final int EVENTS_KEPT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final long since;
    private final Map<String, Rule> rules = new TreeMap<>();                   // rule id -> the rule the job applies
    private final Map<String, ArrayDeque<JsonNode>> events = new HashMap<>();  // camera -> newest last
    private final Map<String, ObjectNode> tallies = new HashMap<>();           // rule id -> {in, out, entries, ...}
    private final Map<String, ObjectNode> windows = new HashMap<>();           // rule id + "/" + label -> newest counts/1 record

    AnalyticsBoard(long sinceMillis) {
        this.since = sinceMillis;
    }

    /** Events and counts older than this are not tallied (the feed starts this far back). */
    long since() {
        return since;
    }

    /**
     * A {@code vigil.rules} record; returns the camera whose rules changed, or null when nothing did. An invalid rule
     * changes nothing: the job keeps the previous version too (and dead-letters the new one).
     */
    String rule(String id, byte[] value) {
        if (value == null) {
            Rule gone = rules.remove(id);
            if (gone == null) return null;
            tallies.remove(id);
            windows.keySet().removeIf(k -> k.startsWith(id + "/"));
            return gone.camera();
        }
        try {
            Rule r = RuleJson.parse(id, value);
            Rule old = rules.put(id, r);
            if (old != null && !old.camera().equals(r.camera())) tallies.remove(id);
            return r.camera();
        } catch (InvalidRuleException e) {
            return null;
        }
    }

    /** An analytics/1 event: kept among the camera's latest and added to its rule's tally. */
    void event(JsonNode e) {
        String camera = e.path("camera").asText();
        ArrayDeque<JsonNode> q = events.computeIfAbsent(camera, k -> new ArrayDeque<>());
        q.addLast(e);
        while (q.size() > EVENTS_KEPT) q.removeFirst();
        String rule = e.path("rule").asText();
        if (!rules.containsKey(rule)) return;
        ObjectNode t = tallies.computeIfAbsent(rule, k -> F.objectNode());
        AnalyticsType type = AnalyticsType.ofWireOrNull(e.path("type").asText());
        String key = type == null ? null : switch (type) {
            case LINE_CROSS -> "out".equals(e.path("direction").asText()) ? "out" : "in";
            case ZONE_ENTER -> "entries";
            case ZONE_EXIT -> "exits";
            case LOITERING -> "loitering";
            case SPEEDING -> "speeding";
        };
        if (key != null) t.put(key, t.path(key).asLong() + 1);
    }

    /** A counts/1 record: the newest window per rule and label wins (an update of the same window replaces it). */
    void counts(JsonNode c) {
        String key = c.path("rule").asText() + "/" + c.path("label").asText();
        ObjectNode old = windows.get(key);
        if (old == null || old.path("windowStart").asLong() <= c.path("windowStart").asLong()) windows.put(key, (ObjectNode) c.deepCopy());
    }

    /** The camera's rules as the page draws them: id, kind, name, points (0..1). */
    ArrayNode rules(String camera) {
        ArrayNode out = F.arrayNode();
        for (Rule r : rules.values()) {
            if (!r.camera().equals(camera)) continue;
            ObjectNode n;
            try {
                n = (ObjectNode) JSON.readTree(RuleJson.write(r));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            out.add(n);
        }
        return out;
    }

    /** The parsed rules of a camera (clip overlays). */
    List<Rule> parsedRules(String camera) {
        List<Rule> out = new ArrayList<>();
        for (Rule r : rules.values()) if (r.camera().equals(camera)) out.add(r);
        return out;
    }

    /** Everything the page shows for a camera: rules, latest events (newest first), tallies and newest windows by rule. */
    ObjectNode camera(String camera) {
        ObjectNode out = F.objectNode();
        out.put("since", since);
        out.set("rules", rules(camera));
        ArrayNode ev = out.putArray("events");
        ArrayDeque<JsonNode> q = events.get(camera);
        if (q != null) q.descendingIterator().forEachRemaining(ev::add);
        ObjectNode t = out.putObject("tallies");
        ObjectNode w = out.putObject("windows");
        for (Rule r : rules.values()) {
            if (!r.camera().equals(camera)) continue;
            t.set(r.id(), tallies.getOrDefault(r.id(), F.objectNode()));
            ArrayNode list = F.arrayNode();
            windows.forEach((k, v) -> {
                if (k.startsWith(r.id() + "/")) list.add(v);
            });
            w.set(r.id(), list);
        }
        return out;
    }
}
