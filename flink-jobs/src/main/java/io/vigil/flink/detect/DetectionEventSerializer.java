package io.vigil.flink.detect;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Detection events as JSON on {@code vigil.detections}, key = camera id. Written by hand with a reused
 * builder: the field set is fixed by DESIGN.md and this runs once per frame. {@code latencyMs} is taken here,
 * the last step before the event leaves the job.
 */
public final class DetectionEventSerializer implements KafkaRecordSerializationSchema<DetectionEvent> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient StringBuilder sb;

    public DetectionEventSerializer() {
        this(Topics.DETECTIONS);
    }

    public DetectionEventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DetectionEvent e, KafkaSinkContext context, Long timestamp) {
        if (sb == null) sb = new StringBuilder(1024);
        sb.setLength(0);
        long latencyMs = Math.max(0, System.currentTimeMillis() - e.tsMicros / 1000);
        toJson(e, latencyMs, sb);
        return new ProducerRecord<>(topic, null, e.tsMicros / 1000, e.camera.getBytes(StandardCharsets.UTF_8),
                sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String toJson(DetectionEvent e, long latencyMs) {
        StringBuilder sb = new StringBuilder(512);
        toJson(e, latencyMs, sb);
        return sb.toString();
    }

    static void toJson(DetectionEvent e, long latencyMs, StringBuilder sb) {
        sb.append("{\"schema\":\"").append(DetectionEvent.SCHEMA).append('"');
        sb.append(",\"camera\":");
        Json.string(sb, e.camera);
        sb.append(",\"frame\":").append(e.frame);
        sb.append(",\"ts\":").append(e.tsMicros / 1000);
        sb.append(",\"width\":").append(e.width);
        sb.append(",\"height\":").append(e.height);
        sb.append(",\"model\":");
        Json.string(sb, e.model);
        sb.append(",\"objects\":[");
        DetectedObject[] objs = e.objects == null ? new DetectedObject[0] : e.objects;
        for (int i = 0; i < objs.length; i++) {
            DetectedObject o = objs[i];
            if (i > 0) sb.append(',');
            sb.append('{');
            if (o.track >= 0) sb.append("\"track\":").append(o.track).append(',');
            sb.append("\"label\":");
            Json.string(sb, o.label);
            sb.append(",\"classId\":").append(o.classId);
            sb.append(",\"score\":");
            Json.number(sb, o.score, 4);
            sb.append(",\"box\":");
            Json.array(sb, o.box, 1);
            sb.append(",\"boxNorm\":");
            Json.array(sb, o.boxNorm, 5);
            if (o.velocity != null) {
                sb.append(",\"velocity\":");
                Json.array(sb, o.velocity, 1);
            }
            sb.append('}');
        }
        sb.append(']');
        if (e.embedding != null) {
            sb.append(",\"embedding\":");
            Json.array(sb, e.embedding, 5);
        }
        if (e.saliency != null) {
            sb.append(",\"saliency\":{\"rows\":").append(e.saliency.rows).append(",\"cols\":").append(e.saliency.cols).append(",\"values\":");
            Json.array(sb, e.saliency.values, 3);
            sb.append('}');
        }
        if (e.reset != null) {
            sb.append(",\"reset\":");
            Json.string(sb, e.reset);
        }
        sb.append(",\"latencyMs\":").append(latencyMs).append('}');
    }
}
