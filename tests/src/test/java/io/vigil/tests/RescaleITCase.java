package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Rescaling: the job runs with parallelism 2, stops with a savepoint, and resumes from it with parallelism 3 (and,
 * in a third run, 1). Every camera's tracks and spatiotemporal (SSM) state continue exactly as in an uninterrupted
 * run: same track ids, velocities and embeddings for every frame, and the same labels from the trained streaming
 * trajectory model, whose per-track recurrent states are rescaled with the cameras.
 */
class RescaleITCase {
    private static final int CAMERAS = 4;
    private static final int FRAMES = 60;
    private static final int SPLIT = 30;
    /** The same capture times in every run (10 fps), so time gaps never depend on when a phase ran. */
    private static final long BASE_TS = System.currentTimeMillis() * 1000;

    @Test
    void tracksAndSsmStateContinueAcrossARescale() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        Path ssm = io.vigil.flink.spatiotemporal.SsmFixture.write(Files.createTempDirectory("ssm"));
        List<byte[]> jpegs = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; i < FRAMES && src.next(); i++) jpegs.add(src.encodeJpeg(80, 0, 0).bytes());
        }
        Map<String, String> straight = run(kafka, ssm, jpegs, "rs-a", new int[] {2}, new int[] {FRAMES});
        Map<String, String> upTo3 = run(kafka, ssm, jpegs, "rs-b", new int[] {2, 3}, new int[] {SPLIT, FRAMES});
        Map<String, String> downTo1 = run(kafka, ssm, jpegs, "rs-c", new int[] {2, 1}, new int[] {SPLIT, FRAMES});
        assertEquals(CAMERAS * FRAMES, straight.keySet().stream().filter(k -> !k.startsWith("A ")).count());
        assertTrue(straight.values().stream().anyMatch(v -> v.contains("track")), "objects are tracked");
        assertTrue(straight.keySet().stream().filter(k -> k.startsWith("A ")).count() > 100, "tracks get action labels");
        assertEquals(straight, upTo3, "parallelism 2 -> savepoint -> 3");
        assertEquals(straight, downTo1, "parallelism 2 -> savepoint -> 1");
    }

    /**
     * Runs the frames through one job per phase (parallelism[i] for frames up to until[i]), each later phase
     * restored from the previous one's savepoint; returns per "camera-index/frame" what must continue: track ids,
     * velocities, embedding.
     */
    private static Map<String, String> run(EmbeddedKafka kafka, Path ssm, List<byte[]> jpegs, String prefix, int[] parallelism, int[] until)
            throws Exception {
        String bs = kafka.bootstrap();
        String group = prefix + "-" + System.nanoTime();
        Map<String, String> out = new HashMap<>();
        Map<String, String> acts = new HashMap<>();
        String savepoint = null;
        int from = 0;
        try (EventReader detections = new EventReader(bs, Topics.DETECTIONS);
             EventReader actions = new EventReader(bs, Topics.ACTIONS);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bs, "acks", "all"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int phase = 0; phase < parallelism.length; phase++) {
                // --max-frame-age 0: track ids, velocities and labels are compared with an uninterrupted run frame for frame, so every frame must be detected however long the rescale took
                JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--max-frame-age", "0",
                        "--group", group, "--checkpoint-interval", "1s", "--start-from", "latest", "--parallelism", Integer.toString(parallelism[phase]),
                        "--spatiotemporal-model", ssm.toString(), "--spatiotemporal-kernel", "scalar", "--job-name", prefix + "-" + phase,
                        "--action-model", Path.of(System.getProperty("vigil.home", "..")).resolve("models/trained/trajectory-mamba").toString()});
                Configuration extra = new Configuration();
                if (savepoint != null) extra.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
                try (LocalJob job = LocalJob.start(config, extra)) {
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
                    Thread.sleep(4000);
                    for (int f = from; f < until[phase]; f++) {
                        for (int c = 0; c < CAMERAS; c++) {
                            producer.send(FrameCodec.toRecord(Topics.FRAMES, new FrameRecord(prefix + "-" + c, f, BASE_TS + f * 100_000L, 768, 576, "jpeg", jpegs.get(f))));
                        }
                    }
                    producer.flush();
                    int expected = CAMERAS * until[phase];
                    List<JsonNode> got = detections.collect(e -> e.path("camera").asText().startsWith(prefix + "-"),
                            g -> out.size() + g.size() >= expected, Duration.ofSeconds(180));
                    for (JsonNode e : got) out.put(e.path("camera").asText().substring(prefix.length()) + "/" + e.path("frame").asLong(), continuing(e));
                    assertEquals(expected, out.size(), prefix + " phase " + phase);
                    // the actions committed with the same checkpoints
                    for (JsonNode a : actions.collect(a -> a.path("camera").asText().startsWith(prefix + "-"), g -> false, Duration.ofSeconds(3))) {
                        acts.put("A " + a.path("camera").asText().substring(prefix.length()) + "/" + a.path("frame").asLong() + "/" + a.path("track").asLong(),
                                a.path("labels").get(0).path("label").asText() + " " + a.path("labels").get(0).path("score").asText());
                    }
                    Path dir = Files.createTempDirectory("savepoints");
                    savepoint = job.client().stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
                }
                from = until[phase];
            }
        }
        out.putAll(acts);
        return out;
    }

    private static String continuing(JsonNode e) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode o : e.path("objects")) {
            sb.append(o.has("track") ? "track " + o.path("track").asLong() : "-").append(' ').append(o.path("velocity")).append("; ");
        }
        sb.append("embedding ").append(e.path("embedding"));
        if (e.has("reset")) sb.append(" reset ").append(e.path("reset").asText());
        return sb.toString();
    }
}
