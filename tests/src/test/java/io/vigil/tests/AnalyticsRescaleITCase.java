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
