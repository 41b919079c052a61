package io.vigil.flink.action;

import io.vigil.flink.detect.Json;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Action events as JSON on {@code vigil.actions}, key = camera id; {@code latencyMs} taken here. */
public final class ActionEventSerializer implements KafkaRecordSerializationSchema<ActionEvent> {
    private static final long serialVersionUID = 1L;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ActionEvent e, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(Topics.ACTIONS, null, e.tsMicros / 1000, e.camera.getBytes(StandardCharsets.UTF_8),
                toJson(e, Math.max(0, System.currentTimeMillis() - e.tsMicros / 1000)).getBytes(StandardCharsets.UTF_8));
    }

    public static String toJson(ActionEvent e, long latencyMs) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"schema\":\"").append(ActionEvent.SCHEMA).append("\",\"camera\":");
        Json.string(sb, e.camera);
        sb.append(",\"frame\":").append(e.frame);
        sb.append(",\"ts\":").append(e.tsMicros / 1000);
        if (e.track >= 0) sb.append(",\"track\":").append(e.track);
        sb.append(",\"labels\":[");
        for (int i = 0; i < e.labels.length; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"label\":");
            Json.string(sb, e.labels[i]);
            sb.append(",\"score\":");
            Json.number(sb, e.scores[i], 4);
            sb.append('}');
        }
        sb.append("],\"model\":");
        Json.string(sb, e.model);
        sb.append(",\"latencyMs\":").append(latencyMs).append('}');
        return sb.toString();
    }
}
