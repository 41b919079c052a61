package io.vigil.flink.kafka;

import io.vigil.flink.event.RuleRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads {@code vigil.rules}: key = rule id, value = rule JSON (validated later, by the analytics stage), null = delete. */
public final class RuleRecordDeserializer implements KafkaRecordDeserializationSchema<RuleRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleRecord> out) {
        RuleRecord r = new RuleRecord();
        r.id = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        r.json = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        r.topic = record.topic();
        r.partition = record.partition();
        r.offset = record.offset();
        r.timestampMs = record.timestamp();
        out.collect(r);
    }

    @Override
    public TypeInformation<RuleRecord> getProducedType() {
        return TypeInformation.of(RuleRecord.class);
    }
}
