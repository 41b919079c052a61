package io.vigil.events.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleJsonTest {
    private static Rule parse(String json) throws InvalidRuleException {
        return RuleJson.parse(null, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String json) {
        return assertThrows(InvalidRuleException.class, () -> parse(json)).getMessage();
    }

    @Test
    void aZoneWithDefaultsAndARoundTrip() throws Exception {
        Rule r = parse("{\"id\":\"bay\",\"camera\":\"cam-1\",\"kind\":\"zone\",\"points\":[[0.1,0.5],[0.4,0.5],[0.4,0.9],[0.1,0.9]],\"loiterSeconds\":120}");
        assertEquals(Rule.Kind.ZONE, r.kind());
        assertEquals("bay", r.name(), "the name defaults to the id");
        assertEquals(List.of("person"), r.classes());
        assertEquals(3, r.minFrames());
        assertEquals(120, r.loiterSeconds());
        assertTrue(Double.isNaN(r.maxSpeed()));
        assertEquals(Rule.Anchor.BOTTOM_CENTRE, r.anchor());
        Rule again = RuleJson.parse("bay", RuleJson.write(r));
        assertEquals(r.name(), again.name());
        assertEquals(r.points()[2][1], again.points()[2][1]);
        assertEquals(r.loiterSeconds(), again.loiterSeconds());
    }

    @Test
    void badRulesAreRefusedNamingTheField() {
        assertEquals("rule 'x': unknown kind 'circle' (zone, line or calibration)", error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"circle\",\"points\":[]}"));
        assertEquals("rule 'x': points: the polygon crosses itself or has no area",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"zone\",\"points\":[[0,0],[1,1],[1,0],[0,1]]}"));
        assertEquals("rule 'x': points[1] = [1.5, 0.2] is outside the frame (0..1)",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1.5,0.2]]}"));
        assertEquals("rule 'x': points: a line needs exactly 2 points, got 3",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1,0],[1,1]]}"));
        assertEquals("rule 'x': 'camera' is missing", error("{\"id\":\"x\",\"kind\":\"line\",\"points\":[[0,0],[1,0]]}"));
        assertEquals("rule 'x': unknown field 'colour'", error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1,0]],\"colour\":1}"));
        assertEquals("rule 'x': minFrames: a whole number from 1 to 1000, got 0",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1,0]],\"minFrames\":0}"));
        assertEquals("rule 'x': loiterSeconds: only a zone has a loitering time",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1,0]],\"loiterSeconds\":3}"));
        assertEquals("rule 'x': maxSpeed: a positive number, got -1",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1,0]],\"maxSpeed\":-1}"));
        assertEquals("rule 'x': ground: a calibration needs 4 ground points in metres",
                error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"calibration\",\"points\":[[0,0],[1,0],[1,1],[0,1]]}"));
        assertTrue(error("{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"calibration\",\"points\":[[0,0],[0.5,0],[1,0],[0,1]],"
                + "\"ground\":[[0,0],[1,0],[1,1],[0,1]]}").contains("three of the image points are on one line"));
        assertTrue(error("not json").startsWith("rule is not JSON"));
        assertEquals("rule 'x': the record key 'y' is not its id",
                assertThrows(InvalidRuleException.class, () -> RuleJson.parse("y", "{\"id\":\"x\",\"camera\":\"c\",\"kind\":\"line\",\"points\":[[0,0],[1,0]]}"
                        .getBytes(StandardCharsets.UTF_8))).getMessage());
    }
}
