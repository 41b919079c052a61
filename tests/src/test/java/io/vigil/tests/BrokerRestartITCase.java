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
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for 15 s mid-stream and comes back on the same data directory and port: the gateway and the
 * job recover by themselves, and a read_committed consumer finds the event of every frame the gateway published
 * exactly once (frames captured during the outage are dropped by the gateway's keep-latest policy, and counted).
 */
class BrokerRestartITCase {
    private static final int FRAMES = 150;

    @Test
    void gatewayAndJobRecoverFromABrokerRestart() throws Exception {
        Path data = Files.createTempDirectory("vigil-kafka-restart");
        EmbeddedKafka kafka = EmbeddedKafka.start(data, 0, true);
        int port = kafka.port();
        int controller = kafka.controllerPort();
        kafka.createVigilTopics(2);
        String bs = kafka.bootstrap();
        // the gate as shipped: this test counts events, one per frame, which every frame gets detected or not
        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(),
                "--group", "restart", "--checkpoint-interval", "1s", "--start-from", "earliest", "--delivery", "exactly-once"});
        try (LocalJob job = LocalJob.start(config);
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
            // paced at its native 10 fps: the outage falls in the middle of the stream
            gw.start(CameraConfig.builder().id("restart-cam").source(SampleMedia.require(SampleMedia.VTEST).toString())
                    .paced(true).maxFrames(FRAMES).build());
            try (EventReader before = new EventReader(bs, Topics.DETECTIONS)) {
                before.collect(e -> true, got -> got.size() >= 20, Duration.ofSeconds(60));
            }
            kafka.close();
            Thread.sleep(15_000);
            kafka = EmbeddedKafka.start(data, port, false, controller);
            assertTrue(gw.awaitFinished(Duration.ofSeconds(120)), "the gateway finished after the broker came back");
            // frames captured while the broker was away were dropped by the gateway (keep-latest, counted): every frame
            // it did publish must have its event
            long publishedTotal = gw.stats("restart-cam").orElseThrow().published();
            assertTrue(publishedTotal >= 20, "frames before and after the outage");
            try (EventReader reader = new EventReader(bs, Topics.DETECTIONS)) {
                List<JsonNode> events = reader.collect(e -> e.path("camera").asText().equals("restart-cam"),
                        got -> got.size() >= publishedTotal, Duration.ofSeconds(180));
                events.addAll(reader.collect(e -> e.path("camera").asText().equals("restart-cam"), got -> false, Duration.ofSeconds(5)));
                Set<Long> frames = new HashSet<>();
                for (JsonNode e : events) assertTrue(frames.add(e.path("frame").asLong()), "frame " + e.path("frame") + " twice");
                long published = gw.stats("restart-cam").orElseThrow().published();
                System.out.printf("broker restart: %d frames published, %d events, %d dropped by the gateway%n", published, events.size(),
                        gw.stats("restart-cam").orElseThrow().dropped());
                assertEquals(published, events.size(), "every published frame has exactly one committed event");
                assertEquals(FRAMES, published + gw.stats("restart-cam").orElseThrow().dropped() + gw.stats("restart-cam").orElseThrow().failed(),
                        "every grabbed frame is published, dropped or failed: none vanishes");
            }
        } finally {
            kafka.close();
        }
    }
}
