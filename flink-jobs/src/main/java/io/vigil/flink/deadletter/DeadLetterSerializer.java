package io.vigil.flink.deadletter;

import io.vigil.flink.detect.Json;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Dead letters as JSON on {@code vigil.deadletter}, key = camera id (or none). */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"schema\":\"").append(DeadLetter.SCHEMA).append("\",\"camera\":");
        Json.string(sb, d.camera);
        sb.append(",\"frame\":").append(d.frame);
        sb.append(",\"ts\":").append(d.tsMicros / 1000);
        sb.append(",\"reason\":");
        Json.string(sb, d.reason);
        sb.append(",\"topic\":");
        Json.string(sb, d.topic);
        sb.append(",\"partition\":").append(d.partition);
        sb.append(",\"offset\":").append(d.offset).append('}');
        byte[] key = d.camera == null ? null : d.camera.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(Topics.DEADLETTER, null, null, key, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
