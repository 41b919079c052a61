package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.FramePublisher;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The job as shipped (the gate on, maxFrameAge 1 s, adaptive) against two things a gateway does to it:
 * <ul>
 *   <li>its clock is 30 s behind or ahead of the TaskManager's ({@code vigil-ts} shifted): its frames are detected as
 *       often as those of a camera on time beside it (with the age taken as wall clock minus capture time, the camera
 *       30 s behind was never detected: run on 2026-12-07 against that code, behind={overload=60});</li>
 *   <li>it loses its seq store and starts the camera again at seq 0: the job resets the camera's history once and
 *       gives every frame its event (it used to dead-letter them until the seq passed the old maximum).</li>
 * </ul>
 */
class ClockSkewAndSeqRestartITCase {
    static final int FRAMES = 60;

    /** Publishes through Kafka with the capture time moved by {@code skewMicros}, as a gateway whose clock is off does. */
    record Skewed(FramePublisher to, long skewMicros) implements FramePublisher {
        private FrameRecord shifted(FrameRecord f) {
            return new FrameRecord(f.camera(), f.seq(), f.tsMicros() + skewMicros, f.width(), f.height(), f.codec(), f.payload());
        }

        @Override public void publish(FrameRecord frame, Consumer<Exception> onDone) { to.publish(shifted(frame), onDone); }
        @Override public void publish(FrameRecord frame, Map<String, String> headers, Consumer<Exception> onDone) { to.publish(shifted(frame), headers, onDone); }
        @Override public void flush() { to.flush(); }
        @Override public void close() { to.close(); }
    }

    @Test
    void aSkewedGatewayClockChangesNoDecisionAndARestartedSeqIsAReset() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        String vtest = SampleMedia.require(SampleMedia.VTEST).toString();
        long start = System.currentTimeMillis();
        String behind = "behind-" + start, ahead = "ahead-" + start, onTime = "ontime-" + start, restart = "restart-" + start;
        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(),
                "--group", "skew-" + start, "--checkpoint-interval", "1s", "--start-from", "timestamp", "--start-timestamp", Long.toString(start)});
        assertEquals(1000, config.gate().maxFrameAge().toMillis(), "the shipped frame-age limit");
        List<JsonNode> events;
        List<JsonNode> dead;
        try (LocalJob job = LocalJob.start(config);
             EventReader det = new EventReader(bs, Topics.DETECTIONS);
             EventReader dl = new EventReader(bs, Topics.DEADLETTER)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (job.client().getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
            Thread.sleep(3000); // the detector is open and the source has its offsets
            try (CameraGateway exact = new CameraGateway(new KafkaFramePublisher(bs));
                 CameraGateway slow = new CameraGateway(new Skewed(new KafkaFramePublisher(bs), -30_000_000L));
                 CameraGateway fast = new CameraGateway(new Skewed(new KafkaFramePublisher(bs), 30_000_000L))) {
                exact.start(CameraConfig.builder().id(onTime).source(vtest).paced(true).maxFrames(FRAMES).build());
                slow.start(CameraConfig.builder().id(behind).source(vtest).paced(true).maxFrames(FRAMES).build());
                fast.start(CameraConfig.builder().id(ahead).source(vtest).paced(true).maxFrames(FRAMES).build());
                assertTrue(exact.awaitFinished(Duration.ofSeconds(60)) && slow.awaitFinished(Duration.ofSeconds(60)) && fast.awaitFinished(Duration.ofSeconds(60)));
            }
            // the same camera from a gateway, then from a new one that kept no seq store (GatewayOptions' default): seq 0 again
            for (int run = 0; run < 2; run++) {
                try (CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
                    gw.start(CameraConfig.builder().id(restart).source(vtest).paced(true).maxFrames(FRAMES / 2).build());
                    assertTrue(gw.awaitFinished(Duration.ofSeconds(60)));
                }
            }
            List<String> cams = List.of(behind, ahead, onTime, restart);
            events = det.collect(e -> cams.contains(e.path("camera").asText()), got -> got.size() >= 4 * FRAMES, Duration.ofSeconds(120));
            dead = dl.collect(e -> cams.contains(e.path("camera").asText()), got -> false, Duration.ofSeconds(3));
            job.checkAlive();
        }
        Map<String, Map<String, Long>> inference = events.stream().collect(Collectors.groupingBy(e -> e.path("camera").asText().replaceAll("-\\d+$", ""),
                Collectors.groupingBy(e -> e.path("inference").asText(), Collectors.counting())));
        System.out.println("inference by camera: " + inference + "; dead letters: " + dead.size());
        long exactFull = inference.get("ontime").getOrDefault("full", 0L);
        // three 10 fps cameras are inside the detector's budget here (50-60 runs a second, 20-60 on a loaded CI machine)
        assertTrue(exactFull >= FRAMES / 2, "the camera on time is detected: " + inference.get("ontime"));
        for (String cam : List.of("behind", "ahead")) {
            Map<String, Long> m = inference.get(cam);
            assertEquals(FRAMES, m.values().stream().mapToLong(Long::longValue).sum(), cam + ": one event per frame");
            // as often as the camera on time, which shares the detector with it: the clock changes no decision
            assertTrue(m.getOrDefault("full", 0L) >= exactFull - 6, cam + ": detected as the camera on time (" + exactFull + ") although its clock is 30 s off: " + m);
        }
        List<JsonNode> restarted = events.stream().filter(e -> e.path("camera").asText().equals(restart)).toList();
        assertEquals(FRAMES, restarted.size(), "every frame of both gateways has its event: " + restarted.size());
        List<JsonNode> resets = restarted.stream().filter(e -> e.hasNonNull("reset")).toList();
        assertEquals(1, resets.size(), "one reset, where the seq began again: " + resets);
        assertEquals(0, resets.get(0).path("frame").asLong());
        assertTrue(resets.get(0).path("reset").asText().contains("seq restarted: 0 after " + (FRAMES / 2 - 1)), resets.get(0).toString());
        assertEquals(List.of(), dead.stream().map(JsonNode::toString).toList(), "no frame dead-lettered");
    }
}
