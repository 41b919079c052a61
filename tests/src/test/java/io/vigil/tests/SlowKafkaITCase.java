package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.StatusSink;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/**
 * The broker throttles the gateway's producer far below the camera's rate (a real Kafka client quota): the
 * gateway drops the oldest frames instead of queueing, its heap stays flat, and once the throttle is lifted the
 * frames are fresh again (95th percentile of capture-to-acknowledgement age under 3 s).
 */
class SlowKafkaITCase {
    private static final String CLIENT = "vigil-gateway-slow-test";

    @Test
    void keepLatestUnderAThrottledBrokerThenRecovers() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        String bs = kafka.bootstrap();
        Properties p = new Properties();
        p.put("client.id", CLIENT);
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, CLIENT));
        try (Admin admin = kafka.admin();
             RecordingPublisher rec = new RecordingPublisher(new KafkaFramePublisher(bs, Topics.FRAMES, p), StatusSink.NONE);
             CameraGateway gw = new CameraGateway(rec, StatusSink.NONE,
                     GatewayOptions.defaults().withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir()))))) {
            String cam = "slow-cam";
            gw.apply(CameraSpec.of(cam, SampleMedia.require(SampleMedia.VTEST).toString())); // 10 fps, about 30 KB a frame at the default 416x312 (5x the quota below)
            Thread.sleep(5000);
            long heapBefore = heapAfterGc();
            long droppedBefore = gw.stats(cam).orElseThrow().dropped();

            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 60_000.0))))).all().get();
            Thread.sleep(15_000);
            CameraStats throttled = gw.stats(cam).orElseThrow();
            long heapThrottled = heapAfterGc();
            assertTrue(throttled.dropped() - droppedBefore >= 30, "frames dropped while throttled: " + (throttled.dropped() - droppedBefore));
            assertTrue(heapThrottled - heapBefore < 64L * 1024 * 1024,
                    "heap grew by " + (heapThrottled - heapBefore) / 1024 / 1024 + " MB while throttled");

            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null))))).all().get();
            Thread.sleep(15_000);
            long from = System.currentTimeMillis() - 8_000;
            long[] ages = rec.acked(cam).stream().filter(s -> s.ackMillis() >= from).mapToLong(RecordingPublisher.Sent::ageMs).sorted().toArray();
            assertTrue(ages.length >= 40, "frames flow again at full rate: " + ages.length + " in 8 s");
            long p95 = ages[(int) Math.floor(0.95 * (ages.length - 1))];
            System.out.printf("slow Kafka: %d frames dropped while throttled, heap %+d MB, after recovery %d frames in 8 s, p95 age %d ms%n",
                    throttled.dropped() - droppedBefore, (heapThrottled - heapBefore) / 1024 / 1024, ages.length, p95);
            assertTrue(p95 < 3000, "p95 frame age after recovery " + p95 + " ms; ages " + Arrays.toString(ages));
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
