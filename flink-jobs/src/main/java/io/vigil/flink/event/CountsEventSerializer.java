package io.vigil.flink.event;

import io.vigil.events.CountsEvent;
import io.vigil.events.EventJson;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Window counts as JSON on {@code vigil.counts}, key = camera/rule/label/windowStart (an update of a window has the same
 * key as the first result, so a compacted or keyed consumer keeps the latest), record time = the window's end.
 */
public final class CountsEventSerializer implements KafkaRecordSerializationSchema<CountsEvent> {
    private static final long serialVersionUID = 1L;

    private transient EventJson json;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(CountsEvent c, KafkaSinkContext context, Long timestamp) {
        if (json == null) json = new EventJson();
        String key = c.camera + "/" + c.rule + "/" + c.label + "/" + c.windowStart;
        return new ProducerRecord<>(Topics.COUNTS, null, c.windowEnd, key.getBytes(StandardCharsets.UTF_8), json.counts(c));
    }
}
