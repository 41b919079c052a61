package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.cluster.ClusterOptions;
import io.vigil.deploy.cluster.LocalCluster;
import io.vigil.flink.spatiotemporal.SsmFixture;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The job jar on a standalone Flink cluster of separate JVMs (1 JobManager, 2 TaskManagers, from the project's jars)
 * submitted with Flink's CLI over REST, fed by the gateway with 2 cameras through the shared broker. Mid-stream one
 * TaskManager is SIGKILLed and a replacement started: the job restarts from its last checkpoint on the surviving and
 * the new TaskManager (loading ONNX Runtime and OpenCV again in a fresh job class loader on the survivor), and a
 * read_committed consumer finds exactly one event per (camera, seq), with the SSM state and the track ids carried
 * through the failover.
 */
class ClusterFailoverITCase {
    private static final List<String> CAMERAS = List.of("cl-0", "cl-1");
    private static final int FRAMES = 200;

    @Test
    void taskManagerKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        Path dir = Files.createDirectories(home.resolve("tests/target/cluster-failover-" + System.currentTimeMillis()));
        ClusterOptions options = ClusterOptions.builder().dir(dir).restPort(freePort()).taskManagers(2).slotsPerTaskManager(1)
                .libClasspath(ClusterOptions.readClasspathFile(home.resolve("deploy/target/flink-lib-classpath.txt")))
                .systemProperty("vigil.shared", Path.of(System.getProperty("vigil.shared")).toAbsolutePath().normalize().toString()).build();
        LocalCluster cluster = new LocalCluster(options);
        Path ssm = SsmFixture.write(Files.createTempDirectory("ssm"));
        String jobId = null;
        try (EventReader detections = new EventReader(bs, Topics.DETECTIONS);
             EventReader actions = new EventReader(bs, Topics.ACTIONS)) {
            cluster.start(Duration.ofSeconds(90));
            long start = System.currentTimeMillis();
            // --max-frame-age 0: the track ids are compared with an uninterrupted run frame for frame, which needs every frame detected whatever the failover delayed (the shipped gate across failures: AnalyticsITCase, ExactlyOnceITCase)
            jobId = cluster.submit(home.resolve("flink-jobs/target/vigil-job.jar"), "io.vigil.flink.VideoAnalyticsJob", List.of(
                    "--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--max-frame-age", "0", "--group", "cl-" + start,
                    "--parallelism", "2", "--checkpoint-interval", "1s", "--delivery", "exactly-once",
                    "--start-timestamp", Long.toString(start),
                    "--action-model", "gesture-point-history-lstm",
                    "--spatiotemporal-model", ssm.toString(), "--spatiotemporal-kernel", "scalar"), Duration.ofMinutes(2));
            cluster.awaitJobRunning(jobId, Duration.ofSeconds(90));

            try (CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
                for (String cam : CAMERAS) {
                    gw.start(CameraConfig.builder().id(cam).source(SampleMedia.require(SampleMedia.VTEST).toString())
                            .paced(true).paceFps(10).maxFrames(FRAMES).build());
                }
                // Committed events from both cameras mean a checkpoint completed with state in it.
                detections.collect(e -> CAMERAS.contains(e.path("camera").asText()),
                        got -> got.stream().map(e -> e.path("camera").asText()).distinct().count() == CAMERAS.size(), Duration.ofSeconds(90));
                assertTrue(cluster.rest().lastCompletedCheckpoint(jobId) > 0, "a checkpoint completed before the kill");
                cluster.killTaskManager(0);
                cluster.startTaskManager();
                assertTrue(gw.awaitFinished(Duration.ofSeconds(120)), "the gateway published every frame");
            }

            List<JsonNode> events;
            // A fresh reader from the beginning: the one above consumed the early events.
            try (EventReader all = new EventReader(bs, Topics.DETECTIONS)) {
                events = all.collect(e -> CAMERAS.contains(e.path("camera").asText()),
                        got -> got.size() >= CAMERAS.size() * FRAMES, Duration.ofSeconds(240));
                events.addAll(all.collect(e -> CAMERAS.contains(e.path("camera").asText()), got -> false, Duration.ofSeconds(5)));
            }
            List<String> failures = cluster.rest().failures(jobId);
            assertTrue(failures.stream().anyMatch(f -> f.contains("tm-0")), "the job restarted because tm-0 was lost: " + failures);
            assertEquals("RUNNING", cluster.rest().jobState(jobId), "the job runs again on the survivor and the replacement");

            Map<String, TreeSet<Long>> seen = new HashMap<>();
            int duplicates = 0;
            for (JsonNode e : events) {
                if (!seen.computeIfAbsent(e.path("camera").asText(), k -> new TreeSet<>()).add(e.path("frame").asLong())) duplicates++;
            }
            assertEquals(0, duplicates, "no event twice");
            for (String cam : CAMERAS) {
                TreeSet<Long> s = seen.getOrDefault(cam, new TreeSet<>());
                for (long i = 0; i < FRAMES; i++) assertTrue(s.contains(i), cam + " frame " + i + " lost (got " + s.size() + ")");
            }
            assertEquals(CAMERAS.size() * FRAMES, events.size());
            assertFalse(events.stream().anyMatch(e -> e.hasNonNull("reset")), "no state reset reported across the failover");
            SsmReference.assertEmbeddingsEqualAnUninterruptedRun(events, ssm, CAMERAS, FRAMES);
            assertTrackIdsNeverReissued(events);
            Schemas.assertValid(Topics.DETECTIONS, events);

            List<JsonNode> labels = actions.collect(a -> CAMERAS.contains(a.path("camera").asText()), got -> got.size() >= 20, Duration.ofSeconds(30));
            assertTrue(labels.size() >= 20, "action labels for the walkers' tracks: " + labels.size());
        } finally {
            if (jobId != null) {
                try {
                    cluster.rest().cancel(jobId);
                } catch (Exception ignored) {
                    // the cluster is stopped next anyway
                }
            }
            cluster.stop();
        }
    }

    /**
     * A tracker that lost its state would number new tracks from 1 again, re-using ids last seen long before. With
     * the state restored, every id belongs to one person seen in one stretch (gaps only while briefly lost).
     */
    private static void assertTrackIdsNeverReissued(List<JsonNode> events) {
        for (String cam : CAMERAS) {
            TreeMap<Long, List<Long>> framesById = new TreeMap<>();
            events.stream().filter(e -> e.path("camera").asText().equals(cam))
                    .sorted(java.util.Comparator.comparingLong(e -> e.path("frame").asLong()))
                    .forEach(e -> {
                        for (JsonNode o : e.path("objects")) {
                            long t = o.path("track").asLong(-1);
                            if (t > 0) framesById.computeIfAbsent(t, k -> new ArrayList<>()).add(e.path("frame").asLong());
                        }
                    });
            assertTrue(framesById.size() >= 3, cam + " has confirmed tracks: " + framesById.keySet());
            framesById.forEach((id, frames) -> {
                for (int i = 1; i < frames.size(); i++) {
                    long gap = frames.get(i) - frames.get(i - 1);
                    assertTrue(gap <= 60, cam + " track " + id + " reappears after " + gap + " frames (at frame " + frames.get(i) + ")");
                }
            });
        }
    }

    /**
     * A free port below the kernel's ephemeral range (32768+): a port the kernel handed out as ephemeral can be handed to
     * an outgoing connection again before the JobManager binds it (seen once: "Could not start rest endpoint").
     */
    static int freePort() throws java.io.IOException {
        java.util.Random r = new java.util.Random();
        for (int i = 0; i < 200; i++) {
            int port = 20_000 + r.nextInt(12_000);
            try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (java.net.BindException taken) {
                // try another
            }
        }
        throw new java.io.IOException("no free port in 20000-32000");
    }
}
