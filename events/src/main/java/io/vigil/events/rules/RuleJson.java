package io.vigil.events.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and writes rule JSON (schema {@value Rule#SCHEMA}). {@link #parse} refuses anything a rule cannot be: an
 * unknown kind or field, a missing id or camera, points outside 0..1, a polygon that crosses itself, a line of zero
 * length, a calibration without 4 ground points or with collinear points, non-positive numbers; the message names
 * the rule and the field.
 */
public final class RuleJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("schema", "id", "camera", "kind", "name", "points", "ground", "classes", "minFrames",
            "loiterSeconds", "maxSpeed", "anchor");

    private RuleJson() {}

    /** The rule in {@code value}; {@code key} (the record key, the rule id) must match the rule's id when given. */
    public static Rule parse(String key, byte[] value) throws InvalidRuleException {
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRuleException("rule " + (key == null ? "" : "'" + key + "' ") + "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRuleException("rule " + (key == null ? "" : "'" + key + "' ") + "cannot be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new InvalidRuleException("rule " + (key == null ? "" : "'" + key + "' ") + "is not a JSON object");
        String id = text(n, "id", null, true);
        String where = "rule '" + id + "'";
        if (key != null && !key.equals(id)) throw new InvalidRuleException(where + ": the record key '" + key + "' is not its id");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new InvalidRuleException(where + ": unknown field '" + f + "'");
        }
        String schema = text(n, "schema", where, false);
        if (schema != null && !schema.equals(Rule.SCHEMA)) throw new InvalidRuleException(where + ": schema '" + schema + "', this job reads " + Rule.SCHEMA);
        String camera = text(n, "camera", where, true);
        String kindName = text(n, "kind", where, true);
        Rule.Kind kind = null;
        for (Rule.Kind k : Rule.Kind.values()) if (k.json.equals(kindName)) kind = k;
        if (kind == null) throw new InvalidRuleException(where + ": unknown kind '" + kindName + "' (zone, line or calibration)");
        String name = text(n, "name", where, false);
        double[][] points = points(n, "points", where);
        double[][] ground = n.has("ground") ? points(n, "ground", where, false) : null;
        switch (kind) {
            case ZONE -> {
                if (points.length < 3) throw new InvalidRuleException(where + ": points: a zone needs at least 3 points, got " + points.length);
                if (!Geometry.isSimple(points)) throw new InvalidRuleException(where + ": points: the polygon crosses itself or has no area");
            }
            case LINE -> {
                if (points.length != 2) throw new InvalidRuleException(where + ": points: a line needs exactly 2 points, got " + points.length);
                if (points[0][0] == points[1][0] && points[0][1] == points[1][1]) throw new InvalidRuleException(where + ": points: the line has no length");
            }
            case CALIBRATION -> {
                if (points.length != 4) throw new InvalidRuleException(where + ": points: a calibration needs exactly 4 image points, got " + points.length);
                if (ground == null || ground.length != 4) throw new InvalidRuleException(where + ": ground: a calibration needs 4 ground points in metres");
                try {
                    Homography.fit(points, ground);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRuleException(where + ": " + e.getMessage());
                }
            }
        }
        if (kind != Rule.Kind.CALIBRATION && ground != null) throw new InvalidRuleException(where + ": ground: only a calibration has ground points");
        List<String> classes = new ArrayList<>();
        JsonNode c = n.get("classes");
        if (c == null || c.isNull()) classes.add("person");
        else if (!c.isArray() || c.isEmpty()) throw new InvalidRuleException(where + ": classes: a non-empty list of labels");
        else for (JsonNode l : c) {
            if (!l.isTextual() || l.asText().isBlank()) throw new InvalidRuleException(where + ": classes: labels are non-empty strings");
            classes.add(l.asText());
        }
        int minFrames = Rule.DEFAULT_MIN_FRAMES;
        if (n.hasNonNull("minFrames")) {
            JsonNode m = n.get("minFrames");
            if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 1 || m.asInt() > 1000) {
                throw new InvalidRuleException(where + ": minFrames: a whole number from 1 to 1000, got " + m);
            }
            minFrames = m.asInt();
        }
        double loiter = positive(n, "loiterSeconds", where);
        if (!Double.isNaN(loiter) && kind != Rule.Kind.ZONE) throw new InvalidRuleException(where + ": loiterSeconds: only a zone has a loitering time");
        double maxSpeed = positive(n, "maxSpeed", where);
        Rule.Anchor anchor = Rule.Anchor.BOTTOM_CENTRE;
        String a = text(n, "anchor", where, false);
        if (a != null) {
            anchor = null;
            for (Rule.Anchor k : Rule.Anchor.values()) if (k.json.equals(a)) anchor = k;
            if (anchor == null) throw new InvalidRuleException(where + ": anchor: bottom-centre or centre, got '" + a + "'");
        }
        return new Rule(id, camera, kind, name == null ? id : name, points, ground, List.copyOf(classes), minFrames, loiter, maxSpeed, anchor);
    }

    /** The rule as JSON (what {@code vigil rules add} writes). */
    public static byte[] write(Rule r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", Rule.SCHEMA);
        n.put("id", r.id());
        n.put("camera", r.camera());
        n.put("kind", r.kind().json);
        n.put("name", r.name());
        n.set("points", array(r.points()));
        if (r.ground() != null) n.set("ground", array(r.ground()));
        ArrayNode c = n.putArray("classes");
        r.classes().forEach(c::add);
        n.put("minFrames", r.minFrames());
        if (!Double.isNaN(r.loiterSeconds())) n.put("loiterSeconds", r.loiterSeconds());
        if (!Double.isNaN(r.maxSpeed())) n.put("maxSpeed", r.maxSpeed());
        n.put("anchor", r.anchor().json);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ArrayNode array(double[][] pts) {
        ArrayNode a = JSON.createArrayNode();
        for (double[] p : pts) a.addArray().add(p[0]).add(p[1]);
        return a;
    }

    private static String text(JsonNode n, String field, String where, boolean required) throws InvalidRuleException {
        JsonNode v = n.get(field);
        String w = where == null ? "rule" : where;
        if (v == null || v.isNull()) {
            if (required) throw new InvalidRuleException(w + ": '" + field + "' is missing");
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) throw new InvalidRuleException(w + ": '" + field + "' must be a non-empty string");
        return v.asText();
    }

    private static double[][] points(JsonNode n, String field, String where) throws InvalidRuleException {
        return points(n, field, where, true);
    }

    /** [n][2]; frame points (unit = true) must be within 0..1, ground points any finite metres. */
    private static double[][] points(JsonNode n, String field, String where, boolean unit) throws InvalidRuleException {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) throw new InvalidRuleException(where + ": '" + field + "' must be a list of [x, y] points");
        double[][] out = new double[v.size()][];
        for (int i = 0; i < v.size(); i++) {
            JsonNode p = v.get(i);
            if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                throw new InvalidRuleException(where + ": " + field + "[" + i + "]: a point is [x, y], got " + p);
            }
            double x = p.get(0).asDouble(), y = p.get(1).asDouble();
            if (!Double.isFinite(x) || !Double.isFinite(y)) throw new InvalidRuleException(where + ": " + field + "[" + i + "] is not finite");
            if (unit && (x < 0 || x > 1 || y < 0 || y > 1)) {
                throw new InvalidRuleException(String.format(Locale.ROOT, "%s: %s[%d] = [%s, %s] is outside the frame (0..1)", where, field, i, x, y));
            }
            out[i] = new double[] {x, y};
        }
        return out;
    }

    private static double positive(JsonNode n, String field, String where) throws InvalidRuleException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return Double.NaN;
        if (!v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw new InvalidRuleException(where + ": " + field + ": a positive number, got " + v);
        }
        return v.asDouble();
    }
}
