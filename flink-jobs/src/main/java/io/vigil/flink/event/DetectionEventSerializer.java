package io.vigil.flink.event;

import io.vigil.events.DetectionEvent;
import io.vigil.events.EventJson;

import io.vigil.flink.metrics.StageCpu;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Detection events as JSON on {@code vigil.detections}, key = camera id, record time = capture time. {@code latencyMs}
 * is taken here, the last step before the event leaves the job.
 */
public final class DetectionEventSerializer implements KafkaRecordSerializationSchema<DetectionEvent> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient EventJson json;
    private transient StageCpu cpu;

    public DetectionEventSerializer() {
        this(Topics.DETECTIONS);
    }

    public DetectionEventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(org.apache.flink.api.common.serialization.SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        cpu = StageCpu.of(context.getMetricGroup(), "SerializeDetections");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DetectionEvent e, KafkaSinkContext context, Long timestamp) {
        long c = StageCpu.now();
        if (json == null) json = new EventJson();
        long latencyMs = Math.max(0, System.currentTimeMillis() - e.tsMicros / 1000);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, e.tsMicros / 1000, e.camera.getBytes(StandardCharsets.UTF_8), json.detection(e, latencyMs));
        if (cpu != null) cpu.since(c);
        return r;
    }

    /** The event's JSON text (tests, tools). */
    public static String toJson(DetectionEvent e, long latencyMs) {
        return new String(new EventJson().detection(e, latencyMs), StandardCharsets.UTF_8);
    }
}
