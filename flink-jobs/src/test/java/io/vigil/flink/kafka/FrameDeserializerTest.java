package io.vigil.flink.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.event.FrameEnvelope;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class FrameDeserializerTest {
    private static List<FrameEnvelope> read(ProducerRecord<byte[], byte[]> p, long offset) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(p.topic(), 3, offset, 1_000L, TimestampType.CREATE_TIME,
                -1, -1, p.key(), p.value(), p.headers(), Optional.empty());
        List<FrameEnvelope> out = new ArrayList<>();
        new FrameDeserializer().deserialize(r, new Collector<>() {
            @Override public void collect(FrameEnvelope record) { out.add(record); }
            @Override public void close() {}
        });
        return out;
    }

    @Test
    void goodRecordBecomesAFrame() {
        ProducerRecord<byte[], byte[]> p = FrameCodec.toRecord("vigil.frames", new FrameRecord("cam-1", 9, 123_456, 4, 2, "jpeg", new byte[] {1}));
        FrameEnvelope e = read(p, 77).get(0);
        assertFalse(e.isBad());
        assertEquals("cam-1", e.camera);
        assertEquals(9, e.seq);
        assertEquals(123_456, e.tsMicros);
        assertEquals(3, e.partition);
        assertEquals(77, e.offset);
    }

    @Test
    void malformedRecordBecomesAnEnvelopeWithTheReasonNotAnException() {
        ProducerRecord<byte[], byte[]> p = FrameCodec.toRecord("vigil.frames", new FrameRecord("cam-1", 9, 123_456, 4, 2, "jpeg", new byte[] {1}));
        p.headers().remove(FrameHeaders.WIDTH);
        FrameEnvelope e = read(p, 5).get(0);
        assertTrue(e.isBad());
        assertEquals("cam-1", e.camera);
        assertEquals(9, e.seq);
        assertNull(e.payload);
        assertTrue(e.error.contains("vigil-width"), e.error);
        assertTrue(e.where().contains("cam-1#9") && e.where().contains("@5"), e.where());
    }
}
