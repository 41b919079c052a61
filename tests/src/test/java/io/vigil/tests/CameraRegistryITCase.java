package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraState;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Cameras are subscribed, changed and removed by writing to vigil.cameras while the gateway runs; each change
 * shows on vigil.frames within 10 s, and an untouched camera never pauses for 3 s.
 */
class CameraRegistryITCase {
    @Test
    void subscribeChangeAndRemoveAtRuntime() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        String bs = kafka.bootstrap();
        String video = SampleMedia.require(SampleMedia.VTEST).toString();
        try (FrameWatcher frames = new FrameWatcher(bs);
             RecordingPublisher rec = new RecordingPublisher(new KafkaFramePublisher(bs), new KafkaStatusSink(bs, new Properties()));
             CameraGateway gw = new CameraGateway(rec, rec, GatewayOptions.defaults()
                    .withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir()))));
             AutoCloseable follow = CameraRegistry.follow(bs, gw)) {
            long t0 = System.currentTimeMillis();
            CameraRegistry.put(bs, CameraSpec.of("reg-a", video).withFps(5.0));
            CameraRegistry.put(bs, CameraSpec.of("reg-b", video).withFps(5.0));
            CameraRegistry.put(bs, CameraSpec.of("reg-c", video).withFps(5.0).withLabels(Map.of("zone", "gate")));
            for (String c : List.of("reg-a", "reg-b", "reg-c")) {
                RtspReconnectITCase.waitFor(() -> !frames.of(c).isEmpty(), 10_000, "first frame of " + c);
            }
            assertTrue(CameraRegistry.list(bs).keySet().containsAll(List.of("reg-a", "reg-b", "reg-c")));
            try (EventReader specs = new EventReader(bs, io.vigil.video.kafka.Topics.CAMERAS)) {
                Schemas.assertValid(io.vigil.video.kafka.Topics.CAMERAS, specs.collect(n -> n.path("url").asText().equals(video),
                        got -> got.size() >= 3, java.time.Duration.ofSeconds(10)));
            }

            // an invalid subscription is reported and changes nothing else
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bs), new ByteArraySerializer(), new ByteArraySerializer())) {
                p.send(new ProducerRecord<>("vigil.cameras", "reg-bad".getBytes(StandardCharsets.UTF_8),
                        "{\"url\":\"rtsp://x:pw@h/c\",\"fps\":-1}".getBytes(StandardCharsets.UTF_8))).get();
            }
            Thread.sleep(3000);

            long removeAt = System.currentTimeMillis();
            CameraRegistry.remove(bs, "reg-b");
            RtspReconnectITCase.waitFor(() -> rec.statuses("reg-b").stream().anyMatch(s -> s.state() == CameraState.REMOVED), 10_000, "reg-b removed");
            long changeAt = System.currentTimeMillis();
            CameraRegistry.put(bs, CameraSpec.of("reg-c", video).withFps(2.0).withMaxSize(384, 384));
            RtspReconnectITCase.waitFor(() -> frames.of("reg-c").stream().anyMatch(s -> s.arrivedMs() > changeAt && s.width() == 384), 10_000,
                    "reg-c's new spec on vigil.frames");
            long changedSeenAt = frames.of("reg-c").stream().filter(s -> s.arrivedMs() > changeAt && s.width() == 384).findFirst().orElseThrow().arrivedMs();
            assertTrue(changedSeenAt - changeAt <= 10_000);
            Thread.sleep(6000);
            long end = System.currentTimeMillis();

            // reg-b: nothing later than 10 s after the tombstone, nothing at all in the last 3 s
            assertTrue(frames.of("reg-b", removeAt + 10_000, Long.MAX_VALUE).isEmpty(), "reg-b still streams");
            assertTrue(frames.of("reg-b", end - 3000, Long.MAX_VALUE).isEmpty());
            // reg-c at 2 fps now: 5 s of the new rate gives about 10 frames (5 fps would give 25)
            int cNew = frames.of("reg-c", end - 5000, end).size();
            assertTrue(cNew >= 6 && cNew <= 14, "reg-c frames in the last 5 s: " + cNew);
            // reg-a, untouched: its largest gap between consecutive frames stays under 3 s
            List<FrameWatcher.Seen> a = frames.of("reg-a");
            long maxGap = 0;
            for (int i = 1; i < a.size(); i++) maxGap = Math.max(maxGap, a.get(i).arrivedMs() - a.get(i - 1).arrivedMs());
            assertTrue(maxGap < 3000, "reg-a paused " + maxGap + " ms");
            assertTrue(a.size() >= (end - t0) / 1000 * 4, "reg-a kept its 5 fps: " + a.size() + " frames in " + (end - t0) + " ms");
            // the rejected spec: a failed status naming the problem, without the password
            var bad = rec.statuses("reg-bad");
            assertEquals(CameraState.FAILED, bad.get(0).state());
            assertTrue(bad.get(0).reason().contains("fps must be > 0") && !bad.get(0).reason().contains("pw"), bad.get(0).reason());
            CameraRegistry.remove(bs, "reg-a");
            CameraRegistry.remove(bs, "reg-c");
            CameraRegistry.remove(bs, "reg-bad");
        }
    }
}
