package io.vigil.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CameraViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(long frame, long ts, long... tracks) throws Exception {
        StringBuilder objs = new StringBuilder();
        for (int i = 0; i < tracks.length; i++) {
            if (i > 0) objs.append(',');
            double x = 0.1 + frame * 0.01;
            objs.append("{\"track\":").append(tracks[i]).append(",\"label\":\"person\",\"score\":0.9,\"box\":[10,20,30,60],\"boxNorm\":[")
                    .append(x).append(",0.2,").append(x + 0.1).append(",0.6]}");
        }
        return JSON.readTree("{\"camera\":\"c\",\"frame\":" + frame + ",\"ts\":" + ts + ",\"width\":100,\"height\":100,\"latencyMs\":40,\"objects\":[" + objs + "]}");
    }

    @Test
    void trailsFpsActionsAndHistoryFollowTheEvents() throws Exception {
        CameraView v = new CameraView("c");
        ObjectNode last = null;
        for (long f = 0; f < 40; f++) {
            if (f == 10) v.action(JSON.readTree("{\"camera\":\"c\",\"frame\":10,\"track\":7,\"labels\":[{\"label\":\"Move\",\"score\":0.9}]}"));
            last = v.detection(event(f, 1_000_000 + f * 100, 7));
        }
        assertEquals(10.0, last.path("fps").asDouble(), 1e-9, "10 fps of capture time");
        assertEquals(1, last.path("count").asInt());
        assertEquals("Move", last.path("objects").get(0).path("action").asText());
        JsonNode trail = last.path("trails").path("7");
        assertEquals(CameraView.TRAIL_POINTS, trail.size(), "trail capped");
        assertEquals(0.1 + 39 * 0.01 + 0.05, trail.get(CameraView.TRAIL_POINTS - 1).get(0).asDouble(), 1e-6, "centre x of the newest box");
        assertEquals(0.6, trail.get(0).get(1).asDouble(), 1e-6, "feet: the box's bottom");
        List<Long> secs = new ArrayList<>();
        for (JsonNode h : v.history()) secs.add(h.get(0).asLong());
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L), secs, "one bucket per second of capture time");

        // the track ends; past the age limit its trail and action go
        for (long f = 40; f < 40 + CameraView.TRAIL_MAX_AGE_FRAMES + 2; f++) last = v.detection(event(f, 1_000_000 + f * 100));
        assertFalse(last.path("trails").has("7"));
        assertNull(v.snapshot().path("latest").path("objects").get(0));
        assertTrue(v.snapshot().has("history"));
    }
}
