package io.vigil.deploy.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFilterLooksAtRuleTypeCameraAndEveryLabelOfTheEvent() throws Exception {
        JsonNode analytics = JSON.readTree("{\"camera\":\"door\",\"rule\":\"door.line\",\"type\":\"line-cross\",\"label\":\"person\"}");
        JsonNode detections = JSON.readTree("{\"camera\":\"door\",\"objects\":[{\"label\":\"car\"},{\"label\":\"dog\"}]}");
        assertTrue(EventFilter.ALL.matches(analytics));
        assertTrue(new EventFilter(Set.of("door.line"), Set.of("line-cross"), Set.of("person"), Set.of("door")).matches(analytics));
        assertFalse(new EventFilter(Set.of(), Set.of("zone-enter"), Set.of(), Set.of()).matches(analytics));
        assertFalse(new EventFilter(Set.of(), Set.of(), Set.of(), Set.of("yard")).matches(analytics));
        assertTrue(new EventFilter(Set.of(), Set.of(), Set.of("dog"), Set.of()).matches(detections), "any object's label");
        assertFalse(new EventFilter(Set.of(), Set.of(), Set.of("person"), Set.of()).matches(detections));
    }

    @Test
    void aSlackMessageSaysWhatHappenedWhere() throws Exception {
        JsonNode e = JSON.readTree("{\"camera\":\"door\",\"rule\":\"door.line\",\"ruleName\":\"entrance\",\"type\":\"line-cross\",\"label\":\"person\","
                + "\"track\":7,\"direction\":\"in\"}");
        JsonNode m = JSON.readTree(Notifier.slack(e));
        assertEquals("door: line-cross entrance, person (track 7), in", m.path("text").asText());
    }

    @Test
    void theSignatureIsTheBodysHmacSha256() {
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Webhook.sign("Jefe".getBytes(StandardCharsets.UTF_8), "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badSettingsAreNamed() {
        Webhook w = new Webhook(URI.create("http://127.0.0.1:1/x"), null, Duration.ofSeconds(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Webhook(URI.create("ftp://h/x"), null, Duration.ofSeconds(1)))
                .getMessage().contains("only http and https"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of(), List.of("analytics"), 3)).getMessage().contains("--webhook"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of(w), List.of("analytics"), 0)).getMessage().contains("--max-attempts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(List.of(w), List.of("nosuch"), 3)).getMessage().contains("nosuch"));
        assertEquals(List.of("vigil.analytics"), settings(List.of(w), List.of("analytics"), 3).topics(), "short topic names");
    }

    private static Notifier.Settings settings(List<Webhook> hooks, List<String> topics, int attempts) {
        return new Notifier.Settings("127.0.0.1:1", new Properties(), topics, "g", EventFilter.ALL, hooks, Notifier.Format.RAW, attempts,
                Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    @Test
    void logsAndDeadLettersShowTheWebhookWithoutItsSecretPath() {
        assertEquals("https://hooks.slack.com/services/***",
                Webhook.display(java.net.URI.create("https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXX")));
        assertEquals("http://ha.local:8123/api/***", Webhook.display(java.net.URI.create("http://ha.local:8123/api/webhook/s3cr3t-id")));
        assertEquals("https://x.example/***?***", Webhook.display(java.net.URI.create("https://user:pw@x.example/hook?token=abc")));
        assertEquals("https://x.example", Webhook.display(java.net.URI.create("https://x.example")));
    }

    @Test
    void theSignatureCoversTheTimestampAndTheEventIdSoACapturedRequestCannotBeReplayed() {
        byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
        byte[] body = "{\"camera\":\"door\"}".getBytes(StandardCharsets.UTF_8);
        long now = 1_800_000_000L;
        String sig = "sha256=" + Webhook.sign(secret, Webhook.signed(now, "vigil.analytics:0:42", body));
        assertTrue(Webhook.verify(secret, Long.toString(now), "vigil.analytics:0:42", body, sig, now + 30, Webhook.TOLERANCE));
        assertFalse(Webhook.verify(secret, Long.toString(now), "vigil.analytics:0:42", body, sig, now + 3600, Webhook.TOLERANCE), "an hour later: a replay");
        assertFalse(Webhook.verify(secret, Long.toString(now + 3600), "vigil.analytics:0:42", body, sig, now + 3600, Webhook.TOLERANCE),
                "a fresh timestamp on an old signature");
        assertFalse(Webhook.verify(secret, Long.toString(now), "vigil.analytics:0:43", body, sig, now, Webhook.TOLERANCE), "another event id");
        assertFalse(Webhook.verify(secret, Long.toString(now), "vigil.analytics:0:42", "{}".getBytes(StandardCharsets.UTF_8), sig, now, Webhook.TOLERANCE),
                "another body");
        assertFalse(Webhook.verify("other".getBytes(StandardCharsets.UTF_8), Long.toString(now), "vigil.analytics:0:42", body, sig, now, Webhook.TOLERANCE));
    }
}
