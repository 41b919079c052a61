package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.deploy.cli.VigilCli;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.DetectionEventSerializer;
import io.vigil.video.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** `vigil events` against a real broker: camera, label, score and track filters, count, table format. */
class EventsCliITCase {
    private static DetectionEvent event(String camera, long frame, String label, float score, long track) {
        DetectionEvent e = new DetectionEvent();
        e.camera = camera;
        e.frame = frame;
        e.tsMicros = System.currentTimeMillis() * 1000;
        e.width = 100;
        e.height = 100;
        e.model = "yolox-nano@sha256:695e750a5d57";
        DetectedObject o = new DetectedObject();
        o.label = label;
        o.score = score;
        o.track = track;
        o.box = new float[] {1, 2, 3, 4};
        o.boxNorm = new float[] {0.01f, 0.02f, 0.03f, 0.04f};
        DetectedObject car = new DetectedObject();
        car.label = "car";
        car.classId = 2;
        car.score = 0.9f;
        car.box = new float[] {5, 5, 9, 9};
        car.boxNorm = new float[] {0.05f, 0.05f, 0.09f, 0.09f};
        e.objects = new DetectedObject[] {o, car};
        return e;
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, VigilCli.commandLine().execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void filtersAndCounts() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        long start = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 12; i++) {
                for (String cam : List.of("cli-cam-1", "cli-cam-2")) {
                    DetectionEvent e = event(cam, i, i % 2 == 0 ? "person" : "dog", i < 6 ? 0.4f : 0.8f, 100 + i % 3);
                    p.send(new DetectionEventSerializer().serialize(e, null, null)).get();
                }
            }
        }
        String from = Long.toString(start - 1000);
        String out = run("events", "--bootstrap", kafka.bootstrap(), "--topic", "detections", "--camera", "cli-cam-1", "--label", "person",
                "--count", "5", "--from", from);
        List<JsonNode> lines = out.lines().map(l -> {
            try {
                return new ObjectMapper().readTree(l);
            } catch (Exception ex) {
                throw new AssertionError("not JSON: " + l);
            }
        }).toList();
        assertEquals(5, lines.size(), out);
        for (JsonNode n : lines) {
            assertEquals("cli-cam-1", n.path("camera").asText());
            assertEquals(1, n.path("objects").size(), "only the matching objects are kept");
            assertEquals("person", n.path("objects").get(0).path("label").asText());
        }
        String scored = run("events", "--bootstrap", kafka.bootstrap(), "--camera", "cli-cam-2", "--min-score", "0.7", "--label", "person",
                "--count", "3", "--from", from);
        assertTrue(scored.lines().allMatch(l -> l.contains("\"score\":0.8")), scored);
        String byTrack = run("events", "--bootstrap", kafka.bootstrap(), "--camera", "cli-cam-2", "--track", "101", "--count", "2",
                "--from", from, "--format", "table");
        assertEquals(2, byTrack.lines().count(), byTrack);
        assertTrue(byTrack.lines().allMatch(l -> l.contains("cli-cam-2") && l.contains("#101")), byTrack);
        assertTrue(Topics.DETECTIONS.equals("vigil.detections"));
    }

    /** Stopping on --timeout is what was asked for: exit code 0, with or without events (it was 1 when none came). */
    @Test
    void aTimeoutStopsWithExitCodeZero() {
        EmbeddedKafka kafka = SharedStack.kafka();
        long t0 = System.nanoTime();
        String none = run("events", "--bootstrap", kafka.bootstrap(), "--topic", "detections", "--camera", "no-such-camera", "--timeout", "1s");
        assertEquals("", none);
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "it waited for the timeout");
    }
}
