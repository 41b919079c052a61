package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Validates events against the project's JSON Schemas (io/vigil/schemas/TOPIC.schema.json) with a real validator. */
final class Schemas {
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {}

    static void assertValid(String topic, Collection<JsonNode> events) {
        JsonSchema schema = CACHE.computeIfAbsent(topic, Schemas::load);
        assertTrue(!events.isEmpty(), "no " + topic + " events to validate");
        for (JsonNode e : events) {
            Set<ValidationMessage> errors = schema.validate(e);
            assertTrue(errors.isEmpty(), topic + " event does not match its schema: " + errors + "\n" + e);
        }
    }

    private static JsonSchema load(String topic) {
        String path = "/io/vigil/schemas/" + topic + ".schema.json";
        try (InputStream in = Schemas.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("schema " + path + " is missing");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
