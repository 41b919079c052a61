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
    void detectionHintsAreReadAndBadOnesIgnored() {
        ProducerRecord<byte[], byte[]> p = FrameCodec.toRecord("vigil.frames", new FrameRecord("cam-1", 9, 123_456, 4, 2, "jpeg", new byte[] {1}));
        p.headers().add(FrameHeaders.DETECT_EVERY, "3".getBytes()).add(FrameHeaders.DETECT_WEIGHT, "2.5".getBytes())
                .add(FrameHeaders.MOTION_MASK, "0,0 1,0 1,1".getBytes());
        FrameEnvelope e = read(p, 1).get(0);
        assertEquals(3, e.detectEvery);
        assertEquals(2.5f, e.detectWeight);
        assertEquals("0,0 1,0 1,1", e.motionMask);
        ProducerRecord<byte[], byte[]> bad = FrameCodec.toRecord("vigil.frames", new FrameRecord("cam-1", 10, 123_456, 4, 2, "jpeg", new byte[] {1}));
        bad.headers().add(FrameHeaders.DETECT_EVERY, "often".getBytes()).add(FrameHeaders.DETECT_WEIGHT, "-1".getBytes());
        FrameEnvelope b = read(bad, 2).get(0);
        assertFalse(b.isBad(), "a bad hint never makes a frame bad");
        assertEquals(0, b.detectEvery, "the job's interval");
        assertEquals(0f, b.detectWeight, "weight 1");
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
