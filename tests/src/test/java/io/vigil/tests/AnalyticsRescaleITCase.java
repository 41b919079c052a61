package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The analytics stage rescales with its state: the scripted lawn clip ({@link AnalyticsITCase}) as two cameras, run
 * straight at parallelism 2, and run again at parallelism 2 up to frame 250 (both people inside the bay, one of them
 * mid-visit for 1.7 s), stopped with a savepoint and resumed at parallelism 3. The analytics events (every field that
 * depends on state: track, frame, direction, dwell) and the window counts are the same.
 */
class AnalyticsRescaleITCase {
    private static final int CAMERAS = 2;
    private static final int SPLIT = 250;
    private static final long BASE_TS = System.currentTimeMillis() * 1000;

    @Test
    void visitsAndCountsSurviveARescaleFrom2To3() throws Exception {
        Path clip = Files.createTempDirectory("analytics-rescale").resolve("lawn.avi");
        ComposedClip.write(SampleMedia.require(SampleMedia.VTEST), 0, AnalyticsITCase.script(), AnalyticsITCase.FRAMES, AnalyticsITCase.FPS, clip);
        List<byte[]> jpegs = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(clip.toString()), 5_000_000)) {
            while (src.next()) jpegs.add(src.encodeJpeg(80, 0, 0).bytes());
        }
        assertEquals(AnalyticsITCase.FRAMES, jpegs.size());
        Map<String, String> straight = run("ar-a", jpegs, new int[] {2}, new int[] {jpegs.size()});
        Map<String, String> rescaled = run("ar-b", jpegs, new int[] {2, 3}, new int[] {SPLIT, jpegs.size()});
        System.out.println("straight run: " + straight.size() + " analytics events and windows; e.g. " + straight.keySet().stream().limit(4).toList());
        assertEquals(2L * 9, straight.keySet().stream().filter(k -> k.startsWith("E ")).count(), "the script's 9 events per camera");
        assertTrue(straight.keySet().stream().anyMatch(k -> k.contains("loitering")));
        assertEquals(straight, rescaled, "parallelism 2 -> savepoint at frame " + SPLIT + " -> 3");
    }

    /**
     * As shipped (the gate on: adaptive, maxFrameAge 1 s, catch-up; no {@code --max-frame-age 0}): the two cameras are
     * played at their 20 fps, once straight at parallelism 2 and once with a stop at frame {@value #SPLIT} (a savepoint)
     * and a restore at parallelism 3 while the frames keep coming. The frames that arrived during the stop and restore
     * reach the new job older than maxFrameAge: catch-up detects one in 3 of them. Which frames were detected differs
     * between the runs, so the events are compared by what they say, not by frame: the crossings by direction, the
     * entries, exits and loiterings, the count windows (their start relative to the clip's first frame), every one
     * equal; the dwells within 0.5 s (a change confirmed on 3 detected frames: up to 6 frames, 0.3 s, later under
     * catch-up, at entry and at exit).
     */
    @Test
    void theSameAnswersAcrossARescaleFrom2To3WithTheShippedGate() throws Exception {
        Path clip = Files.createTempDirectory("analytics-rescale-gate").resolve("lawn.avi");
        ComposedClip.write(SampleMedia.require(SampleMedia.VTEST), 0, AnalyticsITCase.script(), AnalyticsITCase.FRAMES, AnalyticsITCase.FPS, clip);
        List<byte[]> jpegs = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(clip.toString()), 5_000_000)) {
            while (src.next()) jpegs.add(src.encodeJpeg(80, 0, 0).bytes());
        }
        Played straight = played("arg-a", jpegs, false);
        Played rescaled = played("arg-b", jpegs, true);
        System.out.println("shipped gate, straight: " + straight.inference() + "; rescaled: " + rescaled.inference());
        System.out.println("shipped gate, after the restore: " + rescaled.restore());
        assertTrue(rescaled.inference().getOrDefault("overload", 0L) > 0, "the frames of the restart reached the new job too old: " + rescaled.inference());
        assertEquals(2L * 9, straight.answers().keySet().stream().filter(k -> k.startsWith("E ")).mapToLong(k -> Long.parseLong(straight.answers().get(k))).sum(),
                "the script's 9 events per camera: " + straight.answers());
        assertEquals(straight.answers(), rescaled.answers(), "the answers: parallelism 2 -> savepoint at frame " + SPLIT + " -> 3, the gate as shipped");
        assertEquals(straight.dwells().size(), rescaled.dwells().size());
        for (int i = 0; i < straight.dwells().size(); i++) {
            assertEquals(straight.dwells().get(i), rescaled.dwells().get(i), 0.5, "dwell " + i + ": " + straight.dwells() + " vs " + rescaled.dwells());
        }
    }

    /** What a paced run answered: event counts and windows by what they are, the dwells (by camera, then length), inference counts. */
    record Played(Map<String, String> answers, List<Double> dwells, Map<String, Long> inference, String restore) {}

    /** The clip played at its rate into both cameras by a thread of its own; with {@code rescale}, stopped at {@link #SPLIT} and restored at 3. */
    private static Played played(String prefix, List<byte[]> jpegs, boolean rescale) throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        for (int c = 0; c < CAMERAS; c++) {
            String cam = prefix + "-" + c;
            AnalyticsITCase.rule(bs, "{\"id\":\"" + cam + "-door\",\"camera\":\"" + cam + "\",\"kind\":\"line\",\"name\":\"door\","
                    + "\"points\":[[0.05,0.70],[0.30,0.70]]}");
            AnalyticsITCase.rule(bs, "{\"id\":\"" + cam + "-cal\",\"camera\":\"" + cam + "\",\"kind\":\"calibration\","
                    + "\"points\":[[0,0],[1,0],[1,1],[0,1]],\"ground\":[[0,0],[20,0],[20,15],[0,15]]}");
            AnalyticsITCase.rule(bs, AnalyticsITCase.bay(cam));
        }
        String group = prefix + "-" + System.nanoTime();
        long frameMicros = (long) (1e6 / AnalyticsITCase.FPS);
        // the clip's first frame on a 5 s boundary, so both runs cut their count windows at the same frames
        long baseMicros = (System.currentTimeMillis() / 5000 + 2) * 5000 * 1000;
        List<String> args = new ArrayList<>(List.of("--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--group", group,
                "--checkpoint-interval", "1s", "--start-from", "latest", "--counts-window", "5s"));
        List<JsonNode> detections = new ArrayList<>();
        String restore = "";
        int[] beforeStop = {0};
        try (EventReader det = new EventReader(bs, Topics.DETECTIONS);
             EventReader analytics = new EventReader(bs, Topics.ANALYTICS);
             EventReader counts = new EventReader(bs, Topics.COUNTS);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bs, "acks", "all", "linger.ms", "0",
                     "max.request.size", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES)), new ByteArraySerializer(), new ByteArraySerializer())) {
            LocalJob job = startWhenRunning(JobConfig.fromArgs(concat(args, "--parallelism", "2", "--job-name", prefix + "-0")), new Configuration());
            try {
                java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
                Thread cameras = new Thread(() -> {
                    try {
                        long t0 = System.nanoTime();
                        for (int f = 0; f < jpegs.size(); f++) {
                            long wait = t0 + f * frameMicros * 1000 - System.nanoTime();
                            if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            for (int c = 0; c < CAMERAS; c++) {
                                producer.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(prefix + "-" + c, f, baseMicros + f * frameMicros, 768, 576,
                                        "jpeg", jpegs.get(f))));
                            }
                        }
                        producer.flush();
                    } catch (Throwable t) {
                        failed.set(t);
                    }
                }, "cameras-" + prefix);
                cameras.start();
                int expected = CAMERAS * jpegs.size();
                if (rescale) {
                    detections.addAll(det.collect(e -> e.path("camera").asText().startsWith(prefix + "-"),
                            g -> g.stream().filter(e -> e.path("frame").asLong() >= SPLIT).count() >= CAMERAS, Duration.ofSeconds(120)));
                    String savepoint = job.client().stopWithSavepoint(false, Files.createTempDirectory("savepoints").toUri().toString(),
                            SavepointFormatType.CANONICAL).get();
                    job.close();
                    beforeStop[0] = detections.size();
                    long stoppedAtFrame = detections.stream().mapToLong(e -> e.path("frame").asLong()).max().orElseThrow();
                    Configuration extra = new Configuration();
                    extra.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
                    long restoreStart = System.nanoTime();
                    job = startWhenRunning(JobConfig.fromArgs(concat(args, "--parallelism", "3", "--job-name", prefix + "-1")), extra);
                    restore = String.format(java.util.Locale.ROOT, "stopped after frame %d, the restored job running %.1f s later", stoppedAtFrame,
                            (System.nanoTime() - restoreStart) / 1e9);
                }
                detections.addAll(det.collect(e -> e.path("camera").asText().startsWith(prefix + "-"), g -> detections.size() + g.size() >= expected,
                        Duration.ofSeconds(180)));
                cameras.join();
                assertTrue(failed.get() == null, "the cameras' thread: " + failed.get());
                assertEquals(expected, detections.size(), prefix + ": one detection event per frame");
                assertEquals(expected, detections.stream().map(e -> e.path("camera").asText() + " " + e.path("frame").asLong()).distinct().count(),
                        prefix + ": no frame twice");
                Map<String, String> answers = new TreeMap<>();
                List<Double> dwells = new ArrayList<>();
                List<JsonNode> events = analytics.collect(e -> e.path("camera").asText().startsWith(prefix + "-"), g -> false, Duration.ofSeconds(5));
                events.sort(java.util.Comparator.comparing((JsonNode e) -> e.path("camera").asText()).thenComparingLong(e -> e.path("frame").asLong()));
                for (JsonNode e : events) {
                    answers.merge("E " + e.path("camera").asText().substring(prefix.length()) + " " + e.path("ruleName").asText() + " "
                            + e.path("type").asText() + " " + e.path("direction").asText(""), "1", (a, b) -> Long.toString(Long.parseLong(a) + 1));
                    if (e.has("dwellSeconds") && e.path("type").asText().equals("zone-exit")) dwells.add(e.path("dwellSeconds").asDouble());
                }
                for (JsonNode c : counts.collect(e -> e.path("camera").asText().startsWith(prefix + "-"), g -> false, Duration.ofSeconds(2))) {
                    long fromFrame = (c.path("windowStart").asLong() * 1000 - baseMicros) / frameMicros;
                    answers.merge("W " + c.path("camera").asText().substring(prefix.length()) + " " + c.path("rule").asText().substring(prefix.length())
                            + " from frame " + fromFrame, c.path("in").asText("") + "/" + c.path("out").asText("") + "/" + c.path("entries").asText("")
                            + "/" + c.path("exits").asText("") + "/" + c.path("maxOccupancy").asText(""), (a, b) -> a + " then " + b);
                }
                Map<String, Long> inference = detections.stream().collect(Collectors.groupingBy(e -> e.path("inference").asText(), TreeMap::new, Collectors.counting()));
                if (rescale) restore += "; " + liveAgain(detections, beforeStop[0], prefix);
                return new Played(answers, dwells, inference, restore);
            } finally {
                job.close();
            }
        }
    }

    /**
     * For each camera: the frames the restored job saw first, how many of them it did not detect, and the first from
     * which ten in a row were detected (the live edge reached again).
     */
    private static String liveAgain(List<JsonNode> detections, int beforeStop, String prefix) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < CAMERAS; c++) {
            String cam = prefix + "-" + c;
            TreeMap<Long, String> byFrame = new TreeMap<>();
            detections.stream().filter(e -> e.path("camera").asText().equals(cam)).forEach(e -> byFrame.put(e.path("frame").asLong(), e.path("inference").asText()));
            long first = detections.subList(0, beforeStop).stream().filter(e -> e.path("camera").asText().equals(cam))
                    .mapToLong(e -> e.path("frame").asLong()).max().orElse(-1) + 1;
            long skipped = byFrame.tailMap(first).values().stream().filter(i -> !i.equals("full")).count();
            long live = -1;
            for (long f = first; f + 10 <= AnalyticsITCase.FRAMES && live < 0; f++) {
                final long from = f;
                if (java.util.stream.LongStream.range(from, from + 10).allMatch(g -> "full".equals(byFrame.get(g)))) live = from;
            }
            out.append(String.format(java.util.Locale.ROOT, "camera %d: from frame %d (the first not out at the stop), %d frames not detected, every frame detected again from %d; ", c, first, skipped, live));
        }
        return out.toString();
    }

    private static LocalJob startWhenRunning(JobConfig config, Configuration extra) throws Exception {
        LocalJob job = LocalJob.start(config, extra);
        long deadline = System.currentTimeMillis() + 60_000;
        while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
        Thread.sleep(3000); // the rules source has read the compacted topic
        return job;
    }

    private static String[] concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** One job per phase, each later phase restored from the previous one's savepoint; events and windows keyed by what they are. */
    private static Map<String, String> run(String prefix, List<byte[]> jpegs, int[] parallelism, int[] until) throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        for (int c = 0; c < CAMERAS; c++) {
            String cam = prefix + "-" + c;
            AnalyticsITCase.rule(bs, "{\"id\":\"" + cam + "-door\",\"camera\":\"" + cam + "\",\"kind\":\"line\",\"name\":\"door\","
                    + "\"points\":[[0.05,0.70],[0.30,0.70]]}");
            AnalyticsITCase.rule(bs, "{\"id\":\"" + cam + "-cal\",\"camera\":\"" + cam + "\",\"kind\":\"calibration\","
                    + "\"points\":[[0,0],[1,0],[1,1],[0,1]],\"ground\":[[0,0],[20,0],[20,15],[0,15]]}");
            AnalyticsITCase.rule(bs, AnalyticsITCase.bay(cam));
        }
        String group = prefix + "-" + System.nanoTime();
        Map<String, String> out = new TreeMap<>();
        String savepoint = null;
        int from = 0;
        int seen = 0;
        try (EventReader detections = new EventReader(bs, Topics.DETECTIONS);
             EventReader analytics = new EventReader(bs, Topics.ANALYTICS);
             EventReader counts = new EventReader(bs, Topics.COUNTS);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bs, "acks", "all",
                     "max.request.size", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES)), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int phase = 0; phase < parallelism.length; phase++) {
                // --max-frame-age 0: two runs are compared event for event, and with the gate the frames it detects would depend on how fast each run happened to go (the shipped gate's failure answers: AnalyticsITCase)
                JobConfig config = JobConfig.fromArgs("--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--max-frame-age", "0", "--group", group,
                        "--checkpoint-interval", "1s", "--start-from", "latest", "--parallelism", Integer.toString(parallelism[phase]),
                        "--job-name", prefix + "-" + phase, "--counts-window", "5s");
                Configuration extra = new Configuration();
                if (savepoint != null) extra.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
                try (LocalJob job = LocalJob.start(config, extra)) {
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
                    Thread.sleep(4000);
                    for (int f = from; f < until[phase]; f++) {
                        for (int c = 0; c < CAMERAS; c++) {
                            producer.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(prefix + "-" + c, f,
                                    BASE_TS + (long) (f * 1e6 / AnalyticsITCase.FPS), 768, 576, "jpeg", jpegs.get(f))));
                        }
                    }
                    producer.flush();
                    int expected = CAMERAS * until[phase];
                    int before = seen;
                    seen += detections.collect(e -> e.path("camera").asText().startsWith(prefix + "-"), g -> before + g.size() >= expected,
                            Duration.ofSeconds(240)).size();
                    assertEquals(expected, seen, prefix + " phase " + phase + ": one detection event per frame");
                    for (JsonNode e : analytics.collect(e -> e.path("camera").asText().startsWith(prefix + "-"), g -> false, Duration.ofSeconds(4))) {
                        String key = "E " + e.path("camera").asText().substring(prefix.length()) + " " + e.path("ruleName").asText() + " "
                                + e.path("type").asText() + " " + e.path("direction").asText("") + " frame " + e.path("frame").asLong() + " track "
                                + e.path("track").asLong();
                        assertTrue(out.put(key, e.path("dwellSeconds").asText("") + " " + e.path("speed").asText("")) == null, "twice: " + key);
                    }
                    for (JsonNode c : counts.collect(e -> e.path("camera").asText().startsWith(prefix + "-"), g -> false, Duration.ofSeconds(2))) {
                        out.put("W " + c.path("camera").asText().substring(prefix.length()) + " " + c.path("rule").asText().substring(prefix.length())
                                + " " + c.path("windowStart").asLong(), c.path("in").asText("") + "/" + c.path("out").asText("") + "/"
                                + c.path("entries").asText("") + "/" + c.path("exits").asText("") + "/" + c.path("maxOccupancy").asText(""));
                    }
                    Path dir = Files.createTempDirectory("savepoints");
                    savepoint = job.client().stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
                }
                from = until[phase];
            }
        }
        return out;
    }
}
