package io.vigil.flink.event;

import io.vigil.events.AnalyticsEvent;
import io.vigil.events.EventJson;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Analytics events as JSON on {@code vigil.analytics}, key = camera id, record time = the frame's capture time. */
public final class AnalyticsEventSerializer implements KafkaRecordSerializationSchema<AnalyticsEvent> {
    private static final long serialVersionUID = 1L;

    private transient EventJson json;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AnalyticsEvent e, KafkaSinkContext context, Long timestamp) {
        if (json == null) json = new EventJson();
        return new ProducerRecord<>(Topics.ANALYTICS, null, e.tsMicros / 1000, e.camera.getBytes(StandardCharsets.UTF_8), json.analytics(e));
    }
}
