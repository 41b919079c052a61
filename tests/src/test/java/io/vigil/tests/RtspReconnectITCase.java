package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraState;
import io.vigil.video.gateway.CameraStatus;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A real RTSP server on loopback is killed for 10 s and restarted: the gateway reports the outage, reconnects
 * within 15 s of the restart, frames resume with increasing vigil-seq, and the URL's password shows up in no log
 * line and no status event.
 */
class RtspReconnectITCase {
    private static final String PASSWORD = "s3cret-pw";

    @Test
    void survivesTheServerDyingAndComingBack() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        try (LogCapture logs = new LogCapture();
             RtspServer server = new RtspServer();
             RecordingPublisher rec = new RecordingPublisher(new KafkaFramePublisher(kafka.bootstrap()),
                     new KafkaStatusSink(kafka.bootstrap(), new Properties()));
             CameraGateway gw = new CameraGateway(rec, rec, GatewayOptions.defaults()
                     .withStallTimeout(Duration.ofSeconds(3)).withBackoff(Duration.ofMillis(300), Duration.ofSeconds(3))
                     .withHeartbeat(Duration.ofSeconds(2)));
             EventReader statusTopic = new EventReader(kafka.bootstrap(), Topics.CAMERA_STATUS)) {
            server.start();
            String cam = "rtsp-cam";
            gw.apply(CameraSpec.of(cam, server.url("admin:" + PASSWORD)).withFps(5.0));
            waitFor(() -> rec.acked(cam).size() >= 15, 40_000, "15 frames from the RTSP server");
            long lastSeqBefore = last(rec.acked(cam)).seq();

            long killedAt = System.currentTimeMillis();
            server.kill();
            Thread.sleep(10_000);
            List<CameraStatus> during = rec.statuses(cam).stream().filter(s -> s.ts() >= killedAt).toList();
            assertTrue(during.stream().anyMatch(s -> s.state() == CameraState.RECONNECTING || s.state() == CameraState.STALLED),
                    "outage reported: " + during);
            int ackedAtRestart = rec.acked(cam).size();

            long restartedAt = System.currentTimeMillis();
            server.start();
            waitFor(() -> rec.statuses(cam).stream().anyMatch(s -> s.ts() >= restartedAt && s.state() == CameraState.STREAMING), 15_000,
                    "streaming again within 15 s of the restart");
            long streamingAt = rec.statuses(cam).stream().filter(s -> s.ts() >= restartedAt && s.state() == CameraState.STREAMING)
                    .findFirst().orElseThrow().ts();
            assertTrue(streamingAt - restartedAt <= 15_000, "back after " + (streamingAt - restartedAt) + " ms");
            waitFor(() -> rec.acked(cam).size() >= ackedAtRestart + 10, 20_000, "10 frames after the restart");

            List<RecordingPublisher.Sent> all = rec.acked(cam);
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).seq() > all.get(i - 1).seq(), "vigil-seq increases: " + all.get(i - 1) + " then " + all.get(i));
            }
            assertTrue(last(all).seq() > lastSeqBefore);

            gw.remove(cam);
            // the statuses as any consumer sees them on Kafka, and every log line: no password anywhere
            List<com.fasterxml.jackson.databind.JsonNode> onKafka = statusTopic.collect(
                    n -> n.path("camera").asText().equals(cam),
                    got -> got.stream().anyMatch(n -> n.path("state").asText().equals("removed")), Duration.ofSeconds(20));
            assertTrue(onKafka.stream().anyMatch(n -> n.path("state").asText().equals("reconnecting") || n.path("state").asText().equals("stalled")),
                    onKafka.toString());
            assertFalse(onKafka.toString().contains(PASSWORD), "status events leak the password: " + onKafka);
            Schemas.assertValid(Topics.CAMERA_STATUS, onKafka);
            assertTrue(onKafka.toString().contains("admin:***@") || onKafka.stream().noneMatch(n -> n.path("reason").asText().contains("rtsp://")));
            String logText = logs.text();
            assertTrue(logText.contains(cam), "the capture saw the gateway's lines");
            assertFalse(logText.contains(PASSWORD), "logs leak the password");
        }
    }

    private static RecordingPublisher.Sent last(List<RecordingPublisher.Sent> l) {
        return l.get(l.size() - 1);
    }

    static void waitFor(java.util.function.BooleanSupplier cond, long ms, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
