package io.vigil.flink.event;

import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DetectionEventSerializerTest {
    @Test
    void writesTheDesignFieldsAsValidJson() throws Exception {
        DetectionEvent e = new DetectionEvent();
        e.camera = "lobby \"east\"\n";
        e.frame = 42;
        e.tsMicros = 1_700_000_000_123_456L;
        e.width = 768;
        e.height = 576;
        e.model = "yolox-nano@sha256:695e750a5d57";
        DetectedObject o = new DetectedObject();
        o.label = "person";
        o.classId = 0;
        o.score = 0.79987f;
        o.box = new float[] {346.04f, 197.44f, 379.2f, 274.7f};
        o.boxNorm = new float[] {346.04f / 768, 197.44f / 576, 379.2f / 768, 274.7f / 576};
        e.objects = new DetectedObject[] {o};
        ProducerRecord<byte[], byte[]> r = new DetectionEventSerializer("vigil.detections").serialize(e, null, null);
        assertEquals("vigil.detections", r.topic());
        assertEquals(e.camera, new String(r.key(), StandardCharsets.UTF_8));
        assertEquals(1_700_000_000_123L, r.timestamp());
        JsonNode n = new ObjectMapper().readTree(r.value());
        assertEquals("vigil.detections/1", n.path("schema").asText());
        assertEquals(e.camera, n.path("camera").asText());
        assertEquals(42, n.path("frame").asLong());
        assertEquals(1_700_000_000_123L, n.path("ts").asLong());
        assertEquals(768, n.path("width").asInt());
        assertEquals(576, n.path("height").asInt());
        assertEquals(e.model, n.path("model").asText());
        JsonNode obj = n.path("objects").get(0);
        assertEquals("person", obj.path("label").asText());
        assertEquals(0, obj.path("classId").asInt());
        assertEquals(0.7999, obj.path("score").asDouble(), 1e-9);
        assertEquals(346.0, obj.path("box").get(0).asDouble(), 1e-9);
        assertEquals(0.45057, obj.path("boxNorm").get(0).asDouble(), 1e-9);
        assertTrue(n.path("latencyMs").asLong() > 0);
    }

    @Test
    void emptyFrameHasAnEmptyObjectList() throws Exception {
        DetectionEvent e = new DetectionEvent();
        e.camera = "c";
        e.model = "m";
        e.width = 1;
        e.height = 1;
        e.objects = new DetectedObject[0];
        JsonNode n = new ObjectMapper().readTree(DetectionEventSerializer.toJson(e, 5));
        assertEquals(0, n.path("objects").size());
        assertEquals(5, n.path("latencyMs").asLong());
    }
}
