package io.vigil.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnalyticsBoardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] rule(String id, String camera, String kind, String points) {
        return ("{\"id\":\"" + id + "\",\"camera\":\"" + camera + "\",\"kind\":\"" + kind + "\",\"points\":" + points + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void rulesEventsTalliesAndWindowsPerCamera() throws Exception {
        AnalyticsBoard b = new AnalyticsBoard(1000);
        assertEquals("cam-1", b.rule("door", rule("door", "cam-1", "line", "[[0.2,0.6],[0.8,0.6]]")));
        assertEquals("cam-1", b.rule("bay", rule("bay", "cam-1", "zone", "[[0.1,0.5],[0.4,0.5],[0.4,0.9]]")));
        assertEquals("cam-2", b.rule("gate", rule("gate", "cam-2", "line", "[[0.1,0.1],[0.2,0.2]]")));
        assertNull(b.rule("bad", rule("bad", "cam-1", "zone", "[[0.1,0.5],[1.4,0.5],[0.4,0.9]]")), "an invalid rule changes nothing");
        assertNull(b.rule("bad", null), "deleting what is not there changes nothing");

        b.event(json("{\"camera\":\"cam-1\",\"rule\":\"door\",\"type\":\"line-cross\",\"direction\":\"in\",\"frame\":5}"));
        b.event(json("{\"camera\":\"cam-1\",\"rule\":\"door\",\"type\":\"line-cross\",\"direction\":\"in\",\"frame\":9}"));
        b.event(json("{\"camera\":\"cam-1\",\"rule\":\"door\",\"type\":\"line-cross\",\"direction\":\"out\",\"frame\":12}"));
        b.event(json("{\"camera\":\"cam-1\",\"rule\":\"bay\",\"type\":\"zone-enter\",\"frame\":13}"));
        b.event(json("{\"camera\":\"cam-1\",\"rule\":\"gone\",\"type\":\"zone-enter\",\"frame\":14}"));
        b.counts(json("{\"camera\":\"cam-1\",\"rule\":\"door\",\"label\":\"person\",\"windowStart\":60000,\"in\":4,\"out\":1}"));
        b.counts(json("{\"camera\":\"cam-1\",\"rule\":\"door\",\"label\":\"person\",\"windowStart\":0,\"in\":9,\"out\":9}")); // older: ignored
        b.counts(json("{\"camera\":\"cam-1\",\"rule\":\"door\",\"label\":\"person\",\"windowStart\":60000,\"in\":5,\"out\":1,\"update\":true}"));

        ObjectNode c1 = b.camera("cam-1");
        assertEquals(1000, c1.path("since").asLong());
        assertEquals(2, c1.path("rules").size(), "cam-1's two valid rules: " + c1.path("rules"));
        assertEquals("[[0.2,0.6],[0.8,0.6]]", c1.path("rules").get(1).path("points").toString());
        assertEquals(5, c1.path("events").size(), "every event is listed, even of a rule the board does not know");
        assertEquals(14, c1.path("events").get(0).path("frame").asLong(), "newest first");
        assertEquals(2, c1.path("tallies").path("door").path("in").asLong());
        assertEquals(1, c1.path("tallies").path("door").path("out").asLong());
        assertEquals(1, c1.path("tallies").path("bay").path("entries").asLong());
        assertEquals(5, c1.path("windows").path("door").get(0).path("in").asLong(), "the update of the newest window replaces it");
        assertEquals(1, b.camera("cam-2").path("rules").size());
        assertEquals(1, b.parsedRules("cam-2").size());

        assertEquals("cam-1", b.rule("door", null));
        ObjectNode after = b.camera("cam-1");
        assertEquals(1, after.path("rules").size());
        assertEquals(false, after.path("tallies").has("door"), "a deleted rule's tally and windows go with it");
        assertEquals(false, after.path("windows").has("door"));

        for (int i = 0; i < 30; i++) b.event(json("{\"camera\":\"cam-1\",\"rule\":\"bay\",\"type\":\"zone-exit\",\"frame\":" + (100 + i) + "}"));
        assertEquals(AnalyticsBoard.EVENTS_KEPT, b.camera("cam-1").path("events").size(), "the newest events only");
        assertEquals(30, b.camera("cam-1").path("tallies").path("bay").path("exits").asLong(), "tallies count them all");
    }
}
