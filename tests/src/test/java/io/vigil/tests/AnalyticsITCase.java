package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.events.rules.RuleRegistry;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Line, zone, loitering and speed through the whole pipeline (gateway -> Kafka -> job -> topics) on a composed clip
 * whose answers are scripted ({@link ComposedClip}: real vtest.avi people pasted on a real vtest.avi frame, on the
 * lawn, away from the real people). The real detector and tracker run on it; the script is the answer:
 * <ul>
 *   <li>line "door" (y = 0.70, x 0.05..0.30): one person walks down across it (in), one up (out, twice as fast), one
 *       steps one frame over it and turns back (nothing), two walk down across it side by side (in, in);</li>
 *   <li>zone "bay" (x 0.35..0.60, y 0.72..0.95, loitering after 5 s): one person stays ~7.3 s (enter, loitering, exit),
 *       one ~2.5 s (enter, exit, no loitering), both inside at once for a while (max occupancy 2);</li>
 *   <li>a calibration mapping the frame to 20 m x 15 m: the walkers' speeds at their crossings, within 10 %.</li>
 * </ul>
 */
class AnalyticsITCase {
    static final double FPS = 20;
    static final int W = 768, H = 576;

    /** The script, in clip frames and pixels (bottom-centre of each person). */
    static List<ComposedClip.Walker> script() {
        return List.of(
                new ComposedClip.Walker(0, new double[][] {{0, 130, 330}, {60, 130, 480}}),                         // in, 2.5 px/frame
                new ComposedClip.Walker(1, new double[][] {{70, 100, 560}, {116, 100, 330}}),                       // out, 5 px/frame
                new ComposedClip.Walker(2, new double[][] {{110, 180, 340}, {120, 180, 400}, {121, 180, 409}, {122, 180, 400}, {132, 180, 340}}),
                new ComposedClip.Walker(0, new double[][] {{140, 70, 330}, {200, 70, 480}}),                         // in, together with
                new ComposedClip.Walker(3, new double[][] {{140, 170, 330}, {200, 170, 480}}),                       // in
                new ComposedClip.Walker(1, new double[][] {{210, 240, 500}, {230, 330, 500}, {350, 330, 500}, {370, 240, 500}}), // bay ~7.3 s
                new ComposedClip.Walker(2, new double[][] {{240, 500, 520}, {260, 420, 520}, {290, 420, 520}, {310, 500, 520}})); // bay ~2.5 s
    }

    static final int FRAMES = 570; // 10 s of the empty lawn after the last person, so every 5 s count window closes

    /** What one run of the clip through the job gave. */
    record Outcome(String camera, Path clip, List<JsonNode> events, List<JsonNode> counts, long bayWrittenAtFrame, long restarts,
                   Map<String, Long> inference) {}

    static void rule(String bs, String json) throws Exception {
        RuleRegistry.put(bs, null, json.getBytes(StandardCharsets.UTF_8));
    }

    static String bay(String camera) {
        return "{\"id\":\"" + camera + "-bay\",\"camera\":\"" + camera + "\",\"kind\":\"zone\",\"name\":\"bay\","
                + "\"points\":[[0.35,0.72],[0.60,0.72],[0.60,0.95],[0.35,0.95]],\"loiterSeconds\":5}";
    }

    /**
     * The clip through the whole pipeline. The door line and the calibration are written before the job starts; the bay
     * zone either before too, or (bayAtFrame > 0) while the clip plays, once the job has published that frame.
     */
    static Outcome run(String tag, long bayAtFrame, String... extraArgs) throws Exception {
        return run(tag, bayAtFrame, false, extraArgs);
    }

    /**
     * @param shippedGate the gate as shipped (maxFrameAge 1 s, adaptive, catch-up); else {@code --max-frame-age 0}, every
     *                    frame detected whatever its age, so the answers are the script's frame for frame
     */
    static Outcome run(String tag, long bayAtFrame, boolean shippedGate, String... extraArgs) throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        Path clip = Files.createTempDirectory("analytics-clip").resolve("lawn.avi");
        ComposedClip.write(SampleMedia.require(SampleMedia.VTEST), 0, script(), FRAMES, FPS, clip);
        String camera = tag + "-" + System.currentTimeMillis();
        rule(bs, "{\"id\":\"" + camera + "-door\",\"camera\":\"" + camera + "\",\"kind\":\"line\",\"name\":\"door\","
                + "\"points\":[[0.05,0.70],[0.30,0.70]]}");
        rule(bs, "{\"id\":\"" + camera + "-cal\",\"camera\":\"" + camera + "\",\"kind\":\"calibration\","
                + "\"points\":[[0,0],[1,0],[1,1],[0,1]],\"ground\":[[0,0],[20,0],[20,15],[0,15]]}");
        if (bayAtFrame <= 0) rule(bs, bay(camera));
        long start = System.currentTimeMillis();
        List<String> args = new java.util.ArrayList<>(List.of("--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(),
                "--group", tag + "-" + start, "--checkpoint-interval", "1s", "--start-from", "timestamp", "--start-timestamp", Long.toString(start),
                "--counts-window", "5s"));
        if (!shippedGate) args.addAll(List.of("--max-frame-age", "0"));
        args.addAll(List.of(extraArgs));
        JobConfig config = JobConfig.fromArgs(args.toArray(String[]::new));
        org.apache.flink.runtime.testutils.InMemoryReporter reporter = org.apache.flink.runtime.testutils.InMemoryReporter.createWithRetainedMetrics();
        long writtenAt = -1;
        try (LocalJob job = LocalJob.start(config, reporter.addToConfiguration(new org.apache.flink.configuration.Configuration()));
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs));
             EventReader an = new EventReader(bs, Topics.ANALYTICS);
             EventReader co = new EventReader(bs, Topics.COUNTS);
             EventReader det = new EventReader(bs, Topics.DETECTIONS)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
            Thread.sleep(3000); // the rules source has read the compacted topic
            gw.start(CameraConfig.builder().id(camera).source(clip.toString()).paced(true).paceFps(FPS).build());
            List<JsonNode> seen = new java.util.ArrayList<>();
            if (bayAtFrame > 0) {
                seen.addAll(det.collect(e -> e.path("camera").asText().equals(camera), got -> got.stream().anyMatch(e -> e.path("frame").asLong() >= bayAtFrame),
                        Duration.ofSeconds(60)));
                rule(bs, bay(camera));
                writtenAt = seen.stream().mapToLong(e -> e.path("frame").asLong()).max().orElseThrow();
            }
            assertTrue(gw.awaitFinished(Duration.ofSeconds(120)));
            int before = seen.size();
            seen.addAll(det.collect(e -> e.path("camera").asText().equals(camera), got -> got.size() + before >= FRAMES, Duration.ofSeconds(180)));
            Map<String, Long> inference = seen.stream().collect(Collectors.groupingBy(e -> e.path("inference").asText(), java.util.TreeMap::new, Collectors.counting()));
            System.out.println(tag + ": inference over the clip " + inference);
            List<JsonNode> events = an.collect(e -> e.path("camera").asText().equals(camera), got -> false, Duration.ofSeconds(8));
            List<JsonNode> counts = co.collect(e -> e.path("camera").asText().equals(camera), got -> false, Duration.ofSeconds(3));
            job.checkAlive();
            long restarts = reporter.findMetrics(job.client().getJobID(), "numRestarts").values().stream()
                    .mapToLong(m -> ((Number) ((org.apache.flink.metrics.Gauge<?>) m).getValue()).longValue()).max().orElse(-1);
            return new Outcome(camera, clip, events, counts, writtenAt, restarts, inference);
        }
    }

    @Test
    void linesZonesLoiteringAndSpeedMatchTheScriptAndARuleAddedMidStreamApplies() throws Exception {
        // the bay is written while the clip plays, once frame 150 is out: the first person enters it at frame ~217
        Outcome o = run("lawn", 150);
        System.out.println("bay rule written when the job had published frame " + o.bayWrittenAtFrame());
        assertTrue(o.bayWrittenAtFrame() >= 150 && o.bayWrittenAtFrame() < 200, "written mid-stream, before anyone reached the bay: "
                + o.bayWrittenAtFrame());
        assertMatchesTheScript(o);
        JsonNode firstBay = o.events().stream().filter(e -> e.path("ruleName").asText().equals("bay")).findFirst().orElseThrow();
        // the rule applied within the 67 frames (3.35 s) between its writing and the first entry: the entry is on time
        assertEquals(219, firstBay.path("frame").asLong(), 2, "the first entry confirmed where the script puts it: " + firstBay);
        evidence(o);
    }

    @Test
    void theSameAnswersAcrossTwoInjectedFailures() throws Exception {
        Outcome o = run("lawn-eo", 0, "--fail-after-frames", "200,230");
        assertTrue(o.restarts() >= 2, "the job restarted after each injected failure: numRestarts " + o.restarts());
        assertMatchesTheScript(o);
    }

    /**
     * As shipped: the frames replayed after each restore are older than maxFrameAge, and catch-up detects one in 3 of
     * them, so the tracks, visits and crossings survive; the script's answers still hold (the dwells within their 0.5 s,
     * a change confirmed up to 6 frames later than with every frame detected).
     */
    @Test
    void theSameAnswersAcrossTwoInjectedFailuresWithTheShippedGate() throws Exception {
        Outcome o = run("lawn-gate", 0, true, "--fail-after-frames", "200,230");
        assertTrue(o.restarts() >= 2, "the job restarted after each injected failure: numRestarts " + o.restarts());
        assertTrue(o.inference().getOrDefault("overload", 0L) > 0, "the frames replayed after a restore were older than maxFrameAge: " + o.inference());
        assertMatchesTheScript(o);
    }

    /** The scripted answers: events exactly, speeds and dwells within tolerance, frameRefs, window counts. */
    static void assertMatchesTheScript(Outcome o) throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        String camera = o.camera();
        List<JsonNode> events = o.events();
        List<JsonNode> counts = o.counts();
        String summary = events.stream().map(e -> e.path("frame").asLong() + " " + e.path("ruleName").asText() + " " + e.path("type").asText()
                + " " + e.path("direction").asText("") + " track " + e.path("track").asLong() + " " + e.path("dwellSeconds").asText("")
                + " " + e.path("speed").asText("")).collect(Collectors.joining("\n  "));
        System.out.println("analytics events:\n  " + summary);
        Schemas.assertValid(Topics.ANALYTICS, events);
        Map<String, Long> byType = events.stream().collect(Collectors.groupingBy(e -> e.path("ruleName").asText() + " " + e.path("type").asText()
                + (e.has("direction") ? " " + e.path("direction").asText() : ""), Collectors.counting()));
        assertEquals(Map.of("door line-cross in", 3L, "door line-cross out", 1L, "bay zone-enter", 2L, "bay zone-exit", 2L, "bay loitering", 1L), byType,
                summary);

        // speeds at the crossings: 2.5 and 5 px a frame down/up at 20 fps, through 15 m per 576 px
        double slow = 2.5 * FPS * 15 / H, fast = 5 * FPS * 15 / H;
        for (JsonNode e : events) {
            if (!e.path("type").asText().equals("line-cross")) continue;
            double want = e.path("direction").asText().equals("out") ? fast : slow;
            assertEquals("m/s", e.path("speedUnit").asText(), e.toString());
            assertEquals(want, e.path("speed").asDouble(), 0.10 * want, "speed at " + e);
        }
        // dwell: the long visit is inside from x = 269 (frame ~216) to x < 269 (frame ~363): ~7.3 s; the short one ~2.5 s
        List<Double> dwell = events.stream().filter(e -> e.path("type").asText().equals("zone-exit")).map(e -> e.path("dwellSeconds").asDouble()).sorted().toList();
        assertEquals(2.5, dwell.get(0), 0.5, "short visit");
        assertEquals(147 / FPS, dwell.get(1), 0.5, "long visit");

        // every event points at its own frame on vigil.frames
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bs, "enable.auto.commit", "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (JsonNode e : events) {
                JsonNode ref = e.path("frameRef");
                TopicPartition tp = new TopicPartition(ref.path("topic").asText(), ref.path("partition").asInt());
                c.assign(List.of(tp));
                c.seek(tp, ref.path("offset").asLong());
                ConsumerRecord<byte[], byte[]> r = c.poll(Duration.ofSeconds(5)).records(tp).get(0);
                FrameRecord f = FrameCodec.fromRecord(r);
                assertEquals(camera, f.camera());
                assertEquals(e.path("frame").asLong(), f.seq(), "frameRef of " + e);
            }
        }

        Schemas.assertValid(Topics.COUNTS, counts);
        long in = 0, out = 0, entries = 0, exits = 0;
        int maxOcc = 0;
        for (JsonNode c : counts) {
            if (c.path("update").asBoolean(false)) continue; // none expected: frames arrive in order
            in += c.path("in").asLong();
            out += c.path("out").asLong();
            entries += c.path("entries").asLong();
            exits += c.path("exits").asLong();
            maxOcc = Math.max(maxOcc, c.path("maxOccupancy").asInt());
        }
        System.out.printf(Locale.ROOT, "counts over %d windows: in %d, out %d, entries %d, exits %d, max occupancy %d%n", counts.size(), in, out, entries, exits, maxOcc);
        assertEquals(List.of(3L, 1L, 2L, 2L), List.of(in, out, entries, exits), "window counts add up to the script");
        assertEquals(2, maxOcc, "both people in the bay at once");

    }


    /** The frame of the first crossing as a JPEG with its overlay, and a clip around it, read back from Kafka by the CLI. */
    static void evidence(Outcome o) throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        String camera = o.camera();
        List<JsonNode> events = o.events();
        Path clip = o.clip();
        // the evidence: the frame of the first crossing as a JPEG with its overlay, and a clip around it, from Kafka
        JsonNode first = events.stream().filter(e -> e.path("type").asText().equals("line-cross")).findFirst().orElseThrow();
        Path dir = clip.getParent();
        Path jpg = dir.resolve("door.jpg");
        int rc = io.vigil.deploy.cli.VigilCli.commandLine().execute("snapshot", "--bootstrap", bs, "--camera", camera,
                "--frame", Long.toString(first.path("frame").asLong()), "--overlay", "--out", jpg.toString());
        assertEquals(0, rc);
        try (io.vigil.video.image.JpegCodec jpeg = new io.vigil.video.image.JpegCodec()) {
            io.vigil.video.image.BgrImage img = jpeg.decode(Files.readAllBytes(jpg));
            // the frame as published: the gateway fits the 768x576 clip into its default 416x416 box
            assertEquals(416, img.width());
            assertEquals(312, img.height());
        }
        long ts = first.path("ts").asLong();
        Path mp4 = dir.resolve("door.mp4");
        rc = io.vigil.deploy.cli.VigilCli.commandLine().execute("clip", "--bootstrap", bs, "--camera", camera,
                "--from", Long.toString(ts - 1000), "--to", Long.toString(ts + 1000), "--overlay", "--out", mp4.toString());
        assertEquals(0, rc);
        int frames = 0;
        try (io.vigil.video.source.VideoSource v = io.vigil.video.source.VideoSource.open(
                io.vigil.video.source.SourceSpec.parse(mp4.toString()), 5_000_000)) {
            while (v.next()) frames++;
        }
        assertEquals(2 * FPS + 1, frames, 2, "two seconds of frames around the crossing");
        assertEquals(3, io.vigil.deploy.cli.VigilCli.commandLine().execute("snapshot", "--bootstrap", bs, "--camera", camera,
                "--frame", "999999", "--out", dir.resolve("none.jpg").toString()), "a frame that is not there: exit 3 with why");
    }
}
