package io.vigil.flink.event;

import io.vigil.events.DeadLetter;
import io.vigil.events.EventJson;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters as JSON on {@code vigil.deadletter}, key = camera id (or none). */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private transient EventJson json;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        if (json == null) json = new EventJson();
        byte[] key = d.camera == null ? null : d.camera.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(Topics.DEADLETTER, null, null, key, json.deadLetter(d));
    }
}
