package io.vigil.deploy.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Which events go out: each set, when not empty, must contain the event's field. {@code rule}, {@code type} and
 * {@code camera} are the event's fields of those names; {@code label} matches the event's {@code label} (analytics,
 * actions' labels) or any of its objects' labels (detections). Empty sets let everything through.
 */
public record EventFilter(Set<String> rules, Set<String> types, Set<String> labels, Set<String> cameras) {
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), Set.of(), Set.of());

    public EventFilter {
        rules = Set.copyOf(rules);
        types = Set.copyOf(types);
        labels = Set.copyOf(labels);
        cameras = Set.copyOf(cameras);
    }

    public boolean matches(JsonNode e) {
        if (!rules.isEmpty() && !in(rules, e.path("rule"))) return false;
        if (!types.isEmpty() && !in(types, e.path("type"))) return false;
        if (!cameras.isEmpty() && !in(cameras, e.path("camera"))) return false;
        if (!labels.isEmpty()) {
            if (in(labels, e.path("label"))) return true;
            for (JsonNode o : e.path("objects")) if (in(labels, o.path("label"))) return true;
            for (JsonNode l : e.path("labels")) if (in(labels, l.path("label"))) return true;
            return false;
        }
        return true;
    }

    private static boolean in(Set<String> set, JsonNode field) {
        return field.isTextual() && set.contains(field.asText());
    }
}
