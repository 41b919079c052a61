package io.vigil.video.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, 1, 2, 3};

    private static RecordHeaders headers(String seq, String ts, String w, String h, String codec) {
        RecordHeaders hs = new RecordHeaders();
        if (seq != null) hs.add(FrameHeaders.SEQ, seq.getBytes(StandardCharsets.UTF_8));
        if (ts != null) hs.add(FrameHeaders.TS, ts.getBytes(StandardCharsets.UTF_8));
        if (w != null) hs.add(FrameHeaders.WIDTH, w.getBytes(StandardCharsets.UTF_8));
        if (h != null) hs.add(FrameHeaders.HEIGHT, h.getBytes(StandardCharsets.UTF_8));
        if (codec != null) hs.add(FrameHeaders.CODEC, codec.getBytes(StandardCharsets.UTF_8));
        return hs;
    }

    @Test
    void aPayloadDamagedAfterCaptureFailsItsChecksum() {
        FrameRecord f = new FrameRecord("cam-1", 7, 1_700_000_000_000_000L, 768, 576, "jpeg", JPEG);
        ProducerRecord<byte[], byte[]> r = FrameCodec.toRecord(Topics.FRAMES, f);
        assertEquals(FrameCodec.crc32c(JPEG), new String(r.headers().lastHeader(FrameHeaders.CRC32C).value(), StandardCharsets.UTF_8));
        byte[] damaged = JPEG.clone();
        damaged[damaged.length / 2] ^= 0x01;
        FrameFormatException e = assertThrows(FrameFormatException.class, () -> FrameCodec.decode(r.key(), damaged, r.headers()));
        assertEquals(FrameFormatException.Reason.CHECKSUM, e.reason());
        assertTrue(e.getMessage().contains("cam-1") && e.getMessage().contains("checksum"), e.getMessage());
        RecordHeaders without = new RecordHeaders();
        r.headers().forEach(h -> {
            if (!h.key().equals(FrameHeaders.CRC32C)) without.add(h);
        });
        assertEquals(7, FrameCodec.decode(r.key(), damaged, without).seq(), "no checksum header: nothing to check (other producers)");
    }

    @Test
    void roundTripKeepsEveryField() {
        FrameRecord f = new FrameRecord("cam-1", 42, 1_700_000_000_123_456L, 768, 576, "jpeg", JPEG);
        ProducerRecord<byte[], byte[]> rec = FrameCodec.toRecord(Topics.FRAMES, f);
        assertEquals(Topics.FRAMES, rec.topic());
        assertEquals("cam-1", new String(rec.key(), StandardCharsets.UTF_8));
        assertEquals("42", FrameCodec.peek(rec.headers(), FrameHeaders.SEQ));
        assertEquals("1700000000123456", FrameCodec.peek(rec.headers(), FrameHeaders.TS));
        FrameRecord back = FrameCodec.decode(rec.key(), rec.value(), rec.headers());
        assertEquals(f.camera(), back.camera());
        assertEquals(f.seq(), back.seq());
        assertEquals(f.tsMicros(), back.tsMicros());
        assertEquals(768, back.width());
        assertEquals(576, back.height());
        assertEquals("jpeg", back.codec());
        assertArrayEquals(JPEG, back.payload());
    }

    @Test
    void missingHeaderIsNamed() {
        FrameFormatException e = assertThrows(FrameFormatException.class, () -> FrameCodec.decode(
                "cam-1".getBytes(StandardCharsets.UTF_8), JPEG, headers("7", null, "10", "10", "jpeg")));
        assertEquals(FrameFormatException.Reason.MISSING_HEADER, e.reason());
        assertEquals("cam-1", e.camera());
        assertEquals(7, e.seq());
        assertTrue(e.getMessage().contains(FrameHeaders.TS), e.getMessage());
    }

    @Test
    void nonNumericHeaderIsNamedWithItsValue() {
        FrameFormatException e = assertThrows(FrameFormatException.class, () -> FrameCodec.decode(
                "cam-1".getBytes(StandardCharsets.UTF_8), JPEG, headers("abc", "1", "10", "10", "jpeg")));
        assertEquals(FrameFormatException.Reason.BAD_HEADER, e.reason());
        assertTrue(e.getMessage().contains("vigil-seq") && e.getMessage().contains("abc"), e.getMessage());
        assertEquals(-1, e.seq());
    }

    @Test
    void emptyValueIsRejected() {
        FrameFormatException e = assertThrows(FrameFormatException.class, () -> FrameCodec.decode(
                "cam-1".getBytes(StandardCharsets.UTF_8), new byte[0], headers("3", "1", "10", "10", "jpeg")));
        assertEquals(FrameFormatException.Reason.EMPTY_VALUE, e.reason());
        assertEquals(3, e.seq());
    }

    @Test
    void nullValueIsRejected() {
        FrameFormatException e = assertThrows(FrameFormatException.class, () -> FrameCodec.decode(
                "cam-1".getBytes(StandardCharsets.UTF_8), null, headers("3", "1", "10", "10", "jpeg")));
        assertEquals(FrameFormatException.Reason.EMPTY_VALUE, e.reason());
    }

    @Test
    void missingKeyIsRejected() {
        FrameFormatException e = assertThrows(FrameFormatException.class,
                () -> FrameCodec.decode(null, JPEG, headers("3", "1", "10", "10", "jpeg")));
        assertEquals(FrameFormatException.Reason.MISSING_KEY, e.reason());
    }

    @Test
    void unknownCodecAndBadSizeAreRejected() {
        byte[] key = "c".getBytes(StandardCharsets.UTF_8);
        assertEquals(FrameFormatException.Reason.UNKNOWN_CODEC, assertThrows(FrameFormatException.class,
                () -> FrameCodec.decode(key, JPEG, headers("1", "1", "10", "10", "h264"))).reason());
        assertEquals(FrameFormatException.Reason.BAD_HEADER, assertThrows(FrameFormatException.class,
                () -> FrameCodec.decode(key, JPEG, headers("1", "1", "0", "10", "jpeg"))).reason());
        assertEquals(FrameFormatException.Reason.BAD_HEADER, assertThrows(FrameFormatException.class,
                () -> FrameCodec.decode(key, JPEG, headers("-2", "1", "10", "10", "jpeg"))).reason());
    }

    @Test
    void topicShortNamesResolve() {
        assertEquals(Topics.DETECTIONS, Topics.resolve("detections"));
        assertEquals(Topics.CAMERA_STATUS, Topics.resolve("vigil.camera-status"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.resolve("bogus"));
        assertTrue(e.getMessage().contains("bogus"));
    }
}
