package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The thinnest complete path on real components: vtest.avi through the camera gateway into a real Kafka broker,
 * the job (through the same Kafka wiring {@code main} uses) on a Flink MiniCluster with the real YOLOX-Nano,
 * detection events read back with a plain KafkaConsumer.
 */
class PipelineEndToEndITCase {
    private static final int FRAMES = 200;
    private static final int UHD_FRAMES = 5;

    /** MODEL.md, vtest.avi frame 100: the 6 true persons (the sign post false positive left out). */
    private static final double[][] PERSONS_100 = {
            {346, 197, 379, 275}, {588, 154, 620, 236}, {494, 147, 517, 218},
            {377, 178, 408, 256}, {223, 60, 238, 94}, {518, 152, 540, 220}};

    @Test
    void everyFrameGetsOneEventInOrderAndFrame100HasTheSixPersons() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        // --max-frame-age 0: frame 100's boxes are compared with MODEL.md's, so frame 100 must be detected whatever the machine's speed
        String[] args = {"--bootstrap", kafka.bootstrap(), "--model", TestPaths.model("yolox-nano").toString(), "--max-frame-age", "0",
                "--group", "e2e-" + System.nanoTime(), "--checkpoint-interval", "2s", "--start-from", "earliest"};
        JobConfig config = JobConfig.fromArgs(args);
        try (LocalJob job = LocalJob.start(config);
             CameraGateway gateway = new CameraGateway(new KafkaFramePublisher(kafka.bootstrap()));
             EventReader reader = new EventReader(kafka.bootstrap(), Topics.DETECTIONS)) {
            injectBadFrames(kafka.bootstrap());
            gateway.start(CameraConfig.builder().id("e2e-cam").source(SampleMedia.require(SampleMedia.VTEST).toString())
                    .paced(false).maxFrames(FRAMES).build());
            // a 4K camera beside it: frames of several MB go through the topic (max.message.bytes = the gateway's limit)
            // (its full size, asked for: the gateway's default box would publish it at 416x234)
            gateway.start(CameraConfig.builder().id("e2e-4k").source("testsrc:3840x2160@5").jpegQuality(100).maxFrames(UHD_FRAMES).fullSize().build());
            assertTrue(gateway.awaitFinished(Duration.ofSeconds(60)), "gateway did not publish " + FRAMES + " frames");
            assertEquals(FRAMES, gateway.stats("e2e-cam").orElseThrow().published());
            assertEquals(UHD_FRAMES, gateway.stats("e2e-4k").orElseThrow().published(), "every 4K frame sent: " + gateway.stats("e2e-4k"));
            assertEquals(0, gateway.stats("e2e-4k").orElseThrow().failed());

            List<JsonNode> events = reader.collect(
                    e -> e.path("camera").asText().startsWith("e2e-"),
                    got -> got.stream().filter(e -> e.path("camera").asText().equals("e2e-cam")).count() >= FRAMES
                            && got.stream().anyMatch(e -> e.path("camera").asText().equals("e2e-bad"))
                            && got.stream().filter(e -> e.path("camera").asText().equals("e2e-4k")).count() >= UHD_FRAMES,
                    Duration.ofSeconds(180));
            // a few more seconds: a duplicate or a late extra event would show up now
            events.addAll(reader.collect(e -> e.path("camera").asText().startsWith("e2e-"), got -> false, Duration.ofSeconds(3)));
            job.checkAlive();

            List<JsonNode> uhd = events.stream().filter(e -> e.path("camera").asText().equals("e2e-4k")).toList();
            assertEquals(UHD_FRAMES, uhd.size(), "one event per 4K frame");
            for (JsonNode e : uhd) assertTrue(e.path("width").asInt() == 3840 && e.path("height").asInt() == 2160, e.toString());

            List<JsonNode> cam = events.stream().filter(e -> e.path("camera").asText().equals("e2e-cam")).toList();
            assertEquals(FRAMES, cam.size(), "one detection event per frame");
            for (int i = 0; i < FRAMES; i++) {
                JsonNode e = cam.get(i);
                assertEquals(i, e.path("frame").asLong(), "events in order, frame = source frame index");
                assertEquals("vigil.detections/1", e.path("schema").asText());
                // the gateway's default: vtest.avi's 768x576 fitted into the default detector's 416x416
                assertEquals(416, e.path("width").asInt());
                assertEquals(312, e.path("height").asInt());
                assertTrue(e.path("model").asText().startsWith("yolox-nano@sha256:695e750a5d57"), e.path("model").asText());
                assertTrue(e.path("ts").asLong() > 1_600_000_000_000L, "ts is epoch ms");
                assertTrue(e.path("latencyMs").asLong() >= 0);
            }
            assertSixPersons(cam.get(100));
            Schemas.assertValid(Topics.DETECTIONS, events);

            // the corrupt and header-less records were skipped; the good frame after them was processed
            List<JsonNode> bad = events.stream().filter(e -> e.path("camera").asText().equals("e2e-bad")).toList();
            assertEquals(1, bad.size(), "only the good frame of e2e-bad has an event: " + bad);
            assertEquals(2, bad.get(0).path("frame").asLong());
        }
    }

    private static void assertSixPersons(JsonNode event) {
        List<JsonNode> persons = new ArrayList<>();
        for (JsonNode o : event.path("objects")) {
            if (o.path("label").asText().equals("person") && o.path("score").asDouble() >= 0.3) persons.add(o);
            JsonNode n = o.path("boxNorm");
            assertEquals(o.path("box").get(0).asDouble() / 416, n.get(0).asDouble(), 1e-3);
            assertEquals(o.path("box").get(3).asDouble() / 312, n.get(3).asDouble(), 1e-3);
        }
        for (double[] truth : PERSONS_100) {
            JsonNode best = null;
            double bestIou = 0;
            for (JsonNode p : persons) {
                double iou = iou(truth, p.path("boxNorm"));
                if (iou > bestIou) {
                    bestIou = iou;
                    best = p;
                }
            }
            assertTrue(best != null && bestIou >= 0.85, "person " + java.util.Arrays.toString(truth)
                    + " not found at IoU >= 0.85 (best " + bestIou + ") in " + event.path("objects"));
            persons.remove(best); // one-to-one
        }
    }

    /** IoU of a truth box in vtest.avi's own 768x576 pixels and a published box in 0..1 of the frame. */
    private static double iou(double[] a, JsonNode norm) {
        double bx1 = norm.get(0).asDouble() * 768, by1 = norm.get(1).asDouble() * 576, bx2 = norm.get(2).asDouble() * 768, by2 = norm.get(3).asDouble() * 576;
        double iw = Math.min(a[2], bx2) - Math.max(a[0], bx1);
        double ih = Math.min(a[3], by2) - Math.max(a[1], by1);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (bx2 - bx1) * (by2 - by1) - inter);
    }

    /** Camera e2e-bad: seq 0 a corrupt JPEG, seq 1 no vigil-ts header, seq 2 a good frame. */
    private static void injectBadFrames(String bootstrap) throws Exception {
        byte[] good;
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000);
             JpegCodec jpeg = new JpegCodec()) {
            src.next();
            good = src.encodeJpeg(80, 0, 0).bytes();
        }
        long now = System.currentTimeMillis() * 1000;
        byte[] corrupt = new byte[4000];
        new java.util.Random(7).nextBytes(corrupt);
        corrupt[0] = (byte) 0xff;
        corrupt[1] = (byte) 0xd8;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("e2e-bad", 0, now, 768, 576, "jpeg", corrupt))).get();
            ProducerRecord<byte[], byte[]> noTs = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("e2e-bad", 1, now, 768, 576, "jpeg", good));
            noTs.headers().remove(FrameHeaders.TS);
            p.send(noTs).get();
            p.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("e2e-bad", 2, now, 768, 576, "jpeg", good))).get();
        }
        assertEquals("e2e-bad", new String("e2e-bad".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
