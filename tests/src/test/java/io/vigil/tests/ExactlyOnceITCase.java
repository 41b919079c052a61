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
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * 4 cameras x 300 frames of vtest.avi through the job (main's Kafka wiring, MiniCluster, exactly-once sinks) while
 * the job is failed on purpose twice mid-stream, with the gate as shipped: a read_committed consumer finds exactly one
 * detection event per (camera, seq), and frames were detected (full) before and after each failure. Bad frames interleaved with the good ones all land in vigil.deadletter with their reason, and
 * the trajectory classifier's labels for the walkers' tracks appear on vigil.actions.
 */
class ExactlyOnceITCase {
    private static final int CAMERAS = 4;
    private static final int FRAMES = 300;

    @Test
    void exactlyOneEventPerFrameAcrossInjectedFailures() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        String bs = kafka.bootstrap();
        java.nio.file.Path ssm = io.vigil.flink.spatiotemporal.SsmFixture.write(java.nio.file.Files.createTempDirectory("ssm"));
        // the gate as shipped (maxFrameAge 1 s, adaptive, catch-up): the cameras are replayed as fast as they decode, so
        // most frames wait longer than a second and are shed, each restore's backlog caught up; events stay one per frame
        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(),
                "--group", "eo-" + System.nanoTime(), "--checkpoint-interval", "1s", "--start-from", "latest",
                "--delivery", "exactly-once", "--action-model", "gesture-point-history-lstm",
                "--fail-after-frames", "150,400", "--parallelism", "1",
                "--spatiotemporal-model", ssm.toString(), "--spatiotemporal-kernel", "scalar", "--saliency", "true"});
        org.apache.flink.runtime.testutils.InMemoryReporter reporter = org.apache.flink.runtime.testutils.InMemoryReporter.createWithRetainedMetrics();
        try (LocalJob job = LocalJob.start(config, reporter.addToConfiguration(new org.apache.flink.configuration.Configuration()));
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs));
             EventReader detections = new EventReader(bs, Topics.DETECTIONS);
             EventReader actions = new EventReader(bs, Topics.ACTIONS);
             EventReader dead = new EventReader(bs, Topics.DEADLETTER)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
            Thread.sleep(4000); // the source has taken its "latest" offsets
            for (int c = 0; c < CAMERAS; c++) {
                gw.start(CameraConfig.builder().id("eo-" + c).source(SampleMedia.require(SampleMedia.VTEST).toString())
                        .paced(false).maxFrames(FRAMES).build());
            }
            List<String> badReasons = injectBadFrames(bs);
            assertTrue(gw.awaitFinished(Duration.ofSeconds(120)));

            List<JsonNode> events = detections.collect(e -> e.path("camera").asText().startsWith("eo-"),
                    got -> got.size() >= CAMERAS * FRAMES, Duration.ofSeconds(400));
            events.addAll(detections.collect(e -> e.path("camera").asText().startsWith("eo-"), got -> false, Duration.ofSeconds(5)));
            Map<String, Set<Long>> seen = new HashMap<>();
            int duplicates = 0;
            for (JsonNode e : events) {
                if (!seen.computeIfAbsent(e.path("camera").asText(), k -> new HashSet<>()).add(e.path("frame").asLong())) duplicates++;
            }
            assertEquals(0, duplicates, "no event twice");
            // the two injected failures really happened (a broken hook would make everything above pass trivially)
            long restarts = reporter.findMetrics(job.client().getJobID(), "numRestarts").values().stream()
                    .mapToLong(m -> ((Number) ((org.apache.flink.metrics.Gauge<?>) m).getValue()).longValue()).max().orElse(-1);
            assertTrue(restarts >= 2, "the job restarted after each injected failure: numRestarts " + restarts);
            for (int c = 0; c < CAMERAS; c++) {
                Set<Long> s = seen.getOrDefault("eo-" + c, Set.of());
                assertEquals(FRAMES, s.size(), "camera eo-" + c + ": one event per frame");
                for (long i = 0; i < FRAMES; i++) assertTrue(s.contains(i), "eo-" + c + " frame " + i + " lost");
            }
            assertEquals(CAMERAS * FRAMES, events.size());
            Schemas.assertValid(Topics.DETECTIONS, events);
            SsmReference.assertEmbeddingsEqualAnUninterruptedRun(events, ssm,
                    java.util.stream.IntStream.range(0, CAMERAS).mapToObj(c -> "eo-" + c).toList(), FRAMES);
            assertTrue(events.stream().anyMatch(e -> e.path("objects").findValues("track").size() > 0), "objects carry track ids");
            Map<String, Long> inference = events.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.path("inference").asText(),
                    java.util.stream.Collectors.counting()));
            System.out.println("inference over the replay: " + inference);
            // the replay runs far ahead of the detector, so the gate sheds (overload) and catches up each restore's backlog;
            // every camera is still detected all along its 300 frames, in each third of them
            for (int c = 0; c < CAMERAS; c++) {
                String cam = "eo-" + c;
                for (int third = 0; third < 3; third++) {
                    long lo = third * FRAMES / 3, hi = (third + 1) * FRAMES / 3;
                    long full = events.stream().filter(e -> e.path("camera").asText().equals(cam) && e.path("frame").asLong() >= lo
                            && e.path("frame").asLong() < hi && e.path("inference").asText().equals("full")).count();
                    assertTrue(full >= 10, cam + " frames " + lo + "-" + (hi - 1) + ": " + full + " detected (" + inference + ")");
                }
            }
            assertTrue(events.stream().allMatch(e -> e.path("saliency").path("values").size() == 16), "a 4x4 patch saliency map per frame");

            List<JsonNode> dl = dead.collect(d -> d.path("camera").asText().equals("eo-bad"), got -> got.size() >= badReasons.size(),
                    Duration.ofSeconds(60));
            assertEquals(badReasons.size(), dl.size(), "every bad frame dead-lettered: " + dl);
            for (String reason : badReasons) {
                assertTrue(dl.stream().anyMatch(d -> d.path("reason").asText().contains(reason)), reason + " in " + dl);
            }
            assertTrue(dl.stream().allMatch(d -> d.path("topic").asText().equals(Topics.FRAMES) && d.has("offset") && d.has("partition")));
            Schemas.assertValid(Topics.DEADLETTER, dl);
            List<JsonNode> good = events.stream().filter(e -> e.path("camera").asText().equals("eo-bad")).toList();
            assertEquals(0, good.size(), "eo-bad is not one of the 4 cameras counted above");

            List<JsonNode> labels = actions.collect(a -> a.path("camera").asText().startsWith("eo-"), got -> got.size() >= 50, Duration.ofSeconds(30));
            assertTrue(labels.stream().anyMatch(a -> a.path("labels").get(0).path("label").asText().equals("Move")),
                    "walkers labelled Move: " + labels.subList(0, Math.min(5, labels.size())));
            assertTrue(labels.stream().allMatch(a -> a.path("track").asLong() > 0 && a.path("model").asText().startsWith("gesture-point-history-lstm@")));
            Schemas.assertValid(Topics.ACTIONS, labels);
            job.checkAlive();
        }
    }

    /** Camera eo-bad: a corrupt JPEG, a truncated one, a header-less record, an absurd size, an unknown codec. */
    private static List<String> injectBadFrames(String bs) throws Exception {
        long now = System.currentTimeMillis() * 1000;
        byte[] jpeg = TestJpeg.vtestFrame0();
        byte[] corrupt = new byte[3000];
        new java.util.Random(3).nextBytes(corrupt);
        corrupt[0] = (byte) 0xff;
        corrupt[1] = (byte) 0xd8;
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bs), new ByteArraySerializer(), new ByteArraySerializer())) {
            p.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("eo-bad", 0, now, 768, 576, "jpeg", corrupt))).get();
            p.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("eo-bad", 1, now, 768, 576, "jpeg", java.util.Arrays.copyOf(jpeg, 200)))).get();
            ProducerRecord<byte[], byte[]> noSeq = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("eo-bad", 2, now, 768, 576, "jpeg", jpeg));
            noSeq.headers().remove(FrameHeaders.SEQ);
            p.send(noSeq).get();
            p.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("eo-bad", 3, now, 100_000, 100_000, "jpeg", jpeg))).get();
            ProducerRecord<byte[], byte[]> h264 = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord("eo-bad", 4, now, 768, 576, "jpeg", jpeg));
            h264.headers().remove(FrameHeaders.CODEC);
            h264.headers().add(FrameHeaders.CODEC, "h264".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            p.send(h264).get();
        }
        return List.of("corrupt image", "truncated JPEG (200 bytes", "header vigil-seq is missing", "over the limit", "unknown codec 'h264'");
    }
}
