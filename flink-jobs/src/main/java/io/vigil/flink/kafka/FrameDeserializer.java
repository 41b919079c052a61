package io.vigil.flink.kafka;

import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.metrics.StageCpu;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameFormatException;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads {@code vigil.frames} records with the project's wire format. A malformed record never fails the job:
 * it becomes an envelope carrying the reason, which the Detect operator dead-letters by camera, seq and offset.
 */
public final class FrameDeserializer implements KafkaRecordDeserializationSchema<FrameEnvelope> {
    private static final long serialVersionUID = 1L;
    private transient StageCpu cpu;

    @Override
    public void open(org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext context) {
        // includes handing the envelope to the keyBy's network buffer (its serialization), which collect does
        cpu = StageCpu.of(context.getMetricGroup(), "SourceDeserialize");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FrameEnvelope> out) {
        long c = StageCpu.now();
        try {
            read(record, out);
        } finally {
            if (cpu != null) cpu.since(c);
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> record, Collector<FrameEnvelope> out) {
        FrameEnvelope e = new FrameEnvelope();
        e.topic = record.topic();
        e.partition = record.partition();
        e.offset = record.offset();
        try {
            FrameRecord f = FrameCodec.fromRecord(record);
            e.camera = f.camera();
            e.seq = f.seq();
            e.tsMicros = f.tsMicros();
            e.width = f.width();
            e.height = f.height();
            e.codec = f.codec();
            e.payload = f.payload();
            hints(record, e);
        } catch (FrameFormatException ex) {
            e.camera = ex.camera() != null ? ex.camera()
                    : record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            e.seq = ex.seq();
            e.tsMicros = record.timestamp() * 1000;
            e.error = ex.reason() + ": " + ex.getMessage();
        }
        out.collect(e);
    }

    /** The optional per-camera detection hints; a malformed one is ignored (the job's settings apply), never fatal. */
    private static void hints(ConsumerRecord<byte[], byte[]> record, FrameEnvelope e) {
        String every = FrameCodec.peek(record.headers(), FrameHeaders.DETECT_EVERY);
        String weight = FrameCodec.peek(record.headers(), FrameHeaders.DETECT_WEIGHT);
        try {
            if (every != null) e.detectEvery = Math.max(0, Math.min(1000, Integer.parseInt(every.trim())));
        } catch (NumberFormatException ignored) {
            // the job's interval
        }
        try {
            if (weight != null) {
                float w = Float.parseFloat(weight.trim());
                if (w > 0 && w <= 1000) e.detectWeight = w;
            }
        } catch (NumberFormatException ignored) {
            // weight 1
        }
        e.motionMask = FrameCodec.peek(record.headers(), FrameHeaders.MOTION_MASK);
    }

    @Override
    public TypeInformation<FrameEnvelope> getProducedType() {
        return TypeInformation.of(FrameEnvelope.class);
    }
}
