package io.vigil.flink.event;

import io.vigil.events.ActionEvent;
import io.vigil.events.EventJson;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Action events as JSON on {@code vigil.actions}, key = camera id; {@code latencyMs} taken here. */
public final class ActionEventSerializer implements KafkaRecordSerializationSchema<ActionEvent> {
    private static final long serialVersionUID = 1L;

    private transient EventJson json;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ActionEvent e, KafkaSinkContext context, Long timestamp) {
        if (json == null) json = new EventJson();
        long latencyMs = Math.max(0, System.currentTimeMillis() - e.tsMicros / 1000);
        return new ProducerRecord<>(Topics.ACTIONS, null, e.tsMicros / 1000, e.camera.getBytes(StandardCharsets.UTF_8), json.action(e, latencyMs));
    }

    /** The event's JSON text (tests, tools). */
    public static String toJson(ActionEvent e, long latencyMs) {
        return new String(new EventJson().action(e, latencyMs), StandardCharsets.UTF_8);
    }
}
