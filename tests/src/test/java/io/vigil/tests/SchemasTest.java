package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.DetectionEventSerializer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schemas accept what the job writes and reject what it must not. */
class SchemasTest {
    private static JsonNode event() throws Exception {
        DetectionEvent e = new DetectionEvent();
        e.camera = "cam";
        e.frame = 3;
        e.tsMicros = 1_700_000_000_000_000L;
        e.width = 100;
        e.height = 50;
        e.model = "yolox-nano@sha256:695e750a5d57";
        DetectedObject o = new DetectedObject();
        o.label = "person";
        o.score = 0.5f;
        o.box = new float[] {10, 10, 20, 40};
        o.boxNorm = new float[] {0.1f, 0.2f, 0.2f, 0.8f};
        o.track = 7;
        o.velocity = new float[] {1, 2};
        e.objects = new DetectedObject[] {o};
        return new ObjectMapper().readTree(DetectionEventSerializer.toJson(e, 12));
    }

    @Test
    void serializerOutputIsValidAndMutationsAreNot() throws Exception {
        Schemas.assertValid("vigil.detections", List.of(event()));
        ObjectNode extra = (ObjectNode) event();
        extra.put("colour", "red");
        assertThrows(AssertionError.class, () -> Schemas.assertValid("vigil.detections", List.of(extra)));
        ObjectNode badScore = (ObjectNode) event();
        ((ObjectNode) badScore.path("objects").get(0)).put("score", 1.5);
        assertThrows(AssertionError.class, () -> Schemas.assertValid("vigil.detections", List.of(badScore)));
        ObjectNode noModel = (ObjectNode) event();
        noModel.remove("model");
        assertThrows(AssertionError.class, () -> Schemas.assertValid("vigil.detections", List.of(noModel)));
    }
}
