package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.lab.bench.CollectingReporter;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraState;
import io.vigil.video.gateway.CameraStatus;
import io.vigil.video.gateway.FramePublisher;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Thousands of broken records on the real broker, interleaved with good frames, through the real job: every broken one is
 * dead-lettered with a reason, the job never restarts, and every good frame gets exactly one detection event. And a fuzzed
 * control topic: every broken subscription is reported failed while the gateway keeps serving its good camera.
 */
class FuzzITCase {
    private static final int GOOD = 40;
    private static final int BAD_PER_GOOD = 50;

    @Test
    void brokenFrameRecordsAreDeadLetteredAndGoodFramesGetOneEventEach() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        long t0 = System.currentTimeMillis();
        String good = "fuzz-good-" + t0;
        String bad = "fuzz-bad-" + t0 + "-";
        String jobName = "fuzz-" + t0;
        List<byte[]> jpegs = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            while (jpegs.size() < GOOD && src.next()) jpegs.add(src.encodeJpeg(80, 0, 0).bytes());
        }
        Configuration flink = new Configuration();
        flink.setString("metrics.reporter.vigil.factory.class", CollectingReporter.Factory.class.getName());
        // --max-frame-age 0: a broken JPEG is found by decoding it, and the gate does not decode a frame it skips (that frame
        // gets its event, inference overload and no objects: nothing lost); this test holds every broken record to a dead
        // letter, so every frame must reach the decoder (run with the shipped gate on 2026-12-07: a skipped bad frame got an event)
        JobConfig cfg = JobConfig.fromArgs("--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--max-frame-age", "0", "--group", jobName,
                "--job-name", jobName, "--checkpoint-interval", "1s", "--start-timestamp", Long.toString(t0));
        Set<String> badAt = new HashSet<>();         // partition:offset of every broken record
        Map<String, Integer> kinds = new TreeMap<>();
        try (LocalJob job = LocalJob.start(cfg, flink);
             EventReader detections = new EventReader(bs, Topics.DETECTIONS);
             EventReader deadLetters = new EventReader(bs, Topics.DEADLETTER);
             KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bs, "acks", "all",
                     "max.request.size", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES)), new ByteArraySerializer(), new ByteArraySerializer())) {
            Random r = new Random(42);
            long ts = t0 * 1000;
            for (int i = 0; i < GOOD; i++) {
                p.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(good, i, ts + i * 100_000L, 768, 576, "jpeg", jpegs.get(i))));
                for (int j = 0; j < BAD_PER_GOOD; j++) {
                    int kind = r.nextInt(10);
                    ProducerRecord<byte[], byte[]> rec = broken(kind, r, jpegs, i, good, bad + r.nextInt(8), ts + i * 100_000L);
                    kinds.merge(KIND[kind], 1, Integer::sum);
                    RecordMetadata m = p.send(rec).get();
                    badAt.add(m.partition() + ":" + m.offset());
                }
            }
            p.flush();
            List<JsonNode> events = detections.collect(e -> e.path("camera").asText().startsWith("fuzz-") && e.path("camera").asText().contains("-" + t0),
                    got -> got.stream().filter(e -> e.path("camera").asText().equals(good)).count() >= GOOD, Duration.ofSeconds(240));
            List<JsonNode> letters = deadLetters.collect(d -> badAt.contains(d.path("partition").asInt() + ":" + d.path("offset").asLong()),
                    got -> got.size() >= badAt.size(), Duration.ofSeconds(120));
            // a few more seconds: a late duplicate would show up now
            events.addAll(detections.collect(e -> e.path("camera").asText().contains("-" + t0), got -> false, Duration.ofSeconds(3)));
            letters.addAll(deadLetters.collect(d -> badAt.contains(d.path("partition").asInt() + ":" + d.path("offset").asLong()), got -> false,
                    Duration.ofSeconds(2)));
            job.checkAlive();
            assertEquals(0.0, CollectingReporter.gauge(jobName, "numRestarts"), "the job never restarted");

            Map<Long, Integer> perSeq = new HashMap<>();
            for (JsonNode e : events) {
                assertEquals(good, e.path("camera").asText(), "no event for a broken record: " + e);
                perSeq.merge(e.path("frame").asLong(), 1, Integer::sum);
            }
            for (long s = 0; s < GOOD; s++) assertEquals(1, perSeq.getOrDefault(s, 0), "good frame " + s + " has exactly one event");
            assertEquals(GOOD, perSeq.size());

            Set<String> lettered = new HashSet<>();
            for (JsonNode d : letters) {
                assertTrue(lettered.add(d.path("partition").asInt() + ":" + d.path("offset").asLong()), "one dead letter per record: " + d);
                assertFalse(d.path("reason").asText().isBlank(), d.toString());
            }
            Set<String> missing = new HashSet<>(badAt);
            missing.removeAll(lettered);
            assertEquals(Set.of(), missing, "every broken record is dead-lettered (" + badAt.size() + " sent: " + kinds + ")");
            Schemas.assertValid(Topics.DEADLETTER, letters);
        }
    }

    private static final String[] KIND = {"flipped bytes", "truncated JPEG", "missing header", "garbage header", "huge size",
            "wrong codec", "no key", "empty value", "duplicate seq", "regressing seq"};

    /** A record broken in one way; kinds 8 and 9 are well-formed frames of the good camera that repeat or go back in seq. */
    private static ProducerRecord<byte[], byte[]> broken(int kind, Random r, List<byte[]> jpegs, int i, String good, String badCam, long ts) {
        byte[] jpeg = jpegs.get(r.nextInt(jpegs.size()));
        long seq = r.nextInt(1000);
        switch (kind) {
            case 0 -> { // bytes flipped after the checksum was taken
                ProducerRecord<byte[], byte[]> rec = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", jpeg));
                byte[] v = rec.value().clone();
                for (int k = 0; k < 1 + r.nextInt(20); k++) v[r.nextInt(v.length)] ^= (byte) (1 + r.nextInt(255));
                return new ProducerRecord<>(Topics.FRAMES, null, rec.key(), v, rec.headers());
            }
            case 1 -> { // cut anywhere; the checksum is of what is sent
                byte[] cut = Arrays.copyOf(jpeg, 1 + r.nextInt(jpeg.length - 10));
                return FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", cut));
            }
            case 2 -> { // one required header missing
                ProducerRecord<byte[], byte[]> rec = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", jpeg));
                String drop = List.of(FrameHeaders.SEQ, FrameHeaders.TS, FrameHeaders.WIDTH, FrameHeaders.HEIGHT, FrameHeaders.CODEC).get(r.nextInt(5));
                List<Header> hs = new ArrayList<>();
                for (Header h : rec.headers()) if (!h.key().equals(drop)) hs.add(h);
                return new ProducerRecord<>(Topics.FRAMES, null, rec.key(), rec.value(), hs);
            }
            case 3 -> { // a header with a value that is not a number
                String h = List.of(FrameHeaders.SEQ, FrameHeaders.TS, FrameHeaders.WIDTH, FrameHeaders.HEIGHT).get(r.nextInt(4));
                byte[] junk = new byte[1 + r.nextInt(12)];
                for (int k = 0; k < junk.length; k++) junk[k] = (byte) ('a' + r.nextInt(26)); // never a number
                return with(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", jpeg)), h, junk);
            }
            case 4 -> { // declares a picture far over the job's pixel limit (or a negative one)
                long w = r.nextBoolean() ? 100_000 + r.nextInt(1_000_000) : -1 - r.nextInt(100);
                return with(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", jpeg)),
                        FrameHeaders.WIDTH, Long.toString(w).getBytes(StandardCharsets.UTF_8));
            }
            case 5 -> {
                String codec = List.of("png", "h264", "JPEG ", "", "mjpeg").get(r.nextInt(5));
                return FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, codec, jpeg));
            }
            case 6 -> {
                ProducerRecord<byte[], byte[]> rec = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", jpeg));
                return new ProducerRecord<byte[], byte[]>(Topics.FRAMES, null, (byte[]) null, rec.value(), rec.headers());
            }
            case 7 -> {
                ProducerRecord<byte[], byte[]> rec = FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(badCam, seq, ts, 768, 576, "jpeg", jpeg));
                return new ProducerRecord<>(Topics.FRAMES, null, rec.key(), new byte[0], rec.headers());
            }
            case 8 -> { // the good camera's frame i again
                return FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(good, i, ts, 768, 576, "jpeg", jpegs.get(i)));
            }
            default -> { // the good camera going back to an earlier seq
                int back = r.nextInt(i + 1);
                return FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(good, back, ts, 768, 576, "jpeg", jpegs.get(back)));
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> with(ProducerRecord<byte[], byte[]> rec, String header, byte[] value) {
        List<Header> hs = new ArrayList<>();
        for (Header h : rec.headers()) hs.add(h.key().equals(header) ? new RecordHeader(header, value) : h);
        return new ProducerRecord<>(Topics.FRAMES, null, rec.key(), rec.value(), hs);
    }

    @Test
    void brokenSubscriptionsAreReportedFailedAndTheGoodCameraKeepsStreaming() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        long t0 = System.currentTimeMillis();
        String good = "ctl-good-" + t0;
        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put("ctl-json-" + t0, "{\"url\": \"testsrc\", ");
        broken.put("ctl-binary-" + t0, "\u0000\u0001\u00ff{}[");
        broken.put("ctl-array-" + t0, "[1, 2, 3]");
        broken.put("ctl-fps-" + t0, "{\"url\": \"testsrc\", \"fps\": 1e308}");
        broken.put("ctl-width-" + t0, "{\"url\": \"testsrc\", \"maxWidth\": 99999999999999}");
        broken.put("ctl-quality-" + t0, "{\"url\": \"testsrc\", \"jpegQuality\": -2147483648}");
        broken.put("ctl-unknown-" + t0, "{\"url\": \"testsrc\", \"pasword\": \"x\"}");
        broken.put("ctl-type-" + t0, "{\"url\": [\"testsrc\"]}");
        broken.put("ctl-huge-" + t0, "{\"url\": \"testsrc\", \"labels\": {\"note\": \"" + "x".repeat(200_000) + "\"}, \"fps\": 0}");
        broken.put("ctl-nourl-" + t0, "{\"fps\": 5}");
        broken.put("ctl-otherid-" + t0, "{\"id\": \"someone-else\", \"url\": \"testsrc\"}");
        Map<String, List<CameraStatus>> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicLong> frames = new ConcurrentHashMap<>();
        FramePublisher counting = new FramePublisher() {
            @Override public void publish(FrameRecord f, Consumer<Exception> onDone) {
                frames.computeIfAbsent(f.camera(), k -> new AtomicLong()).incrementAndGet();
                onDone.accept(null);
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        GatewayOptions opts = GatewayOptions.defaults().withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir())));
        try (CameraGateway gw = new CameraGateway(counting,
                s -> statuses.computeIfAbsent(s.camera(), k -> Collections.synchronizedList(new ArrayList<>())).add(s), opts);
             AutoCloseable follow = CameraRegistry.follow(bs, gw);
             KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bs, "max.request.size", "1048576"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            CameraRegistry.put(bs, CameraSpec.of(good, "testsrc:320x240@10"));
            for (Map.Entry<String, String> e : broken.entrySet()) {
                p.send(new ProducerRecord<>(Topics.CAMERAS, e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue().getBytes(StandardCharsets.UTF_8))).get();
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && (!broken.keySet().stream().allMatch(k -> statuses.containsKey(k))
                    || frames.getOrDefault(good, new AtomicLong()).get() == 0)) {
                Thread.sleep(200);
            }
            long before = frames.getOrDefault(good, new AtomicLong()).get();
            Thread.sleep(2000);
            long after = frames.getOrDefault(good, new AtomicLong()).get();
            assertTrue(before > 0 && after > before, "the good camera keeps streaming: " + before + " -> " + after);
            for (String k : broken.keySet()) {
                List<CameraStatus> s = statuses.get(k);
                assertTrue(s != null && s.stream().anyMatch(x -> x.state() == CameraState.FAILED && x.reason() != null && !x.reason().isBlank()),
                        k + " reported failed with a reason: " + s);
                assertEquals(0, frames.getOrDefault(k, new AtomicLong()).get(), k + " never streamed");
            }
            CameraRegistry.remove(bs, good);
        }
    }
}
