package io.vigil.video.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The frame wire format of DESIGN.md: key = camera id (UTF-8), value = encoded image, headers
 * {@link FrameHeaders} as UTF-8 decimal strings, so any Kafka console tool can read them.
 */
public final class FrameCodec {
    private FrameCodec() {}

    public static ProducerRecord<byte[], byte[]> toRecord(String topic, FrameRecord frame) {
        List<Header> headers = new ArrayList<>(6);
        headers.add(header(FrameHeaders.SEQ, Long.toString(frame.seq())));
        headers.add(header(FrameHeaders.TS, Long.toString(frame.tsMicros())));
        headers.add(header(FrameHeaders.WIDTH, Integer.toString(frame.width())));
        headers.add(header(FrameHeaders.HEIGHT, Integer.toString(frame.height())));
        headers.add(header(FrameHeaders.CODEC, frame.codec()));
        headers.add(header(FrameHeaders.CRC32C, crc32c(frame.payload())));
        return new ProducerRecord<>(topic, null, frame.camera().getBytes(StandardCharsets.UTF_8), frame.payload(), headers);
    }

    public static FrameRecord fromRecord(ConsumerRecord<byte[], byte[]> record) {
        return decode(record.key(), record.value(), record.headers());
    }

    /**
     * Reads a frame from its raw parts.
     *
     * @throws FrameFormatException naming what was wrong, with the camera and seq when they could be read
     */
    public static FrameRecord decode(byte[] key, byte[] value, Headers headers) {
        if (key == null || key.length == 0) {
            throw new FrameFormatException(FrameFormatException.Reason.MISSING_KEY, null, -1,
                    "frame record has no key (camera id)");
        }
        String camera = new String(key, StandardCharsets.UTF_8);
        long seq = -1;
        String seqText = text(headers, FrameHeaders.SEQ, camera, -1);
        seq = number(seqText, FrameHeaders.SEQ, camera, -1);
        if (seq < 0) {
            throw new FrameFormatException(FrameFormatException.Reason.BAD_HEADER, camera, -1,
                    "camera " + camera + ": header " + FrameHeaders.SEQ + " is negative: " + seqText);
        }
        long ts = number(text(headers, FrameHeaders.TS, camera, seq), FrameHeaders.TS, camera, seq);
        if (ts <= 0) {
            throw new FrameFormatException(FrameFormatException.Reason.BAD_HEADER, camera, seq,
                    where(camera, seq) + ": header " + FrameHeaders.TS + " is not a capture time (epoch microseconds): " + ts);
        }
        long width = number(text(headers, FrameHeaders.WIDTH, camera, seq), FrameHeaders.WIDTH, camera, seq);
        long height = number(text(headers, FrameHeaders.HEIGHT, camera, seq), FrameHeaders.HEIGHT, camera, seq);
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new FrameFormatException(FrameFormatException.Reason.BAD_HEADER, camera, seq,
                    where(camera, seq) + ": frame size " + width + "x" + height + " is not positive");
        }
        String codec = text(headers, FrameHeaders.CODEC, camera, seq);
        if (!FrameHeaders.CODEC_JPEG.equals(codec)) {
            throw new FrameFormatException(FrameFormatException.Reason.UNKNOWN_CODEC, camera, seq,
                    where(camera, seq) + ": unknown codec '" + codec + "' in header " + FrameHeaders.CODEC
                            + " (expected " + FrameHeaders.CODEC_JPEG + ")");
        }
        if (value == null || value.length == 0) {
            throw new FrameFormatException(FrameFormatException.Reason.EMPTY_VALUE, camera, seq,
                    where(camera, seq) + ": record value (image bytes) is empty");
        }
        String crc = peek(headers, FrameHeaders.CRC32C);
        if (crc != null && !crc.trim().equalsIgnoreCase(crc32c(value))) {
            throw new FrameFormatException(FrameFormatException.Reason.CHECKSUM, camera, seq,
                    where(camera, seq) + ": the image bytes do not match their checksum (header " + FrameHeaders.CRC32C + " " + crc.trim()
                            + ", bytes " + crc32c(value) + "): damaged after capture");
        }
        return new FrameRecord(camera, seq, ts, (int) width, (int) height, codec, value);
    }

    /** CRC-32C of {@code bytes} as 8 lowercase hex digits (the {@link FrameHeaders#CRC32C} header). */
    public static String crc32c(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, bytes.length);
        return String.format("%08x", c.getValue());
    }

    /** Reads a header as UTF-8, or null when absent; no exception. For logging records that failed to decode. */
    public static String peek(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String text(Headers headers, String name, String camera, long seq) {
        String v = peek(headers, name);
        if (v == null) {
            throw new FrameFormatException(FrameFormatException.Reason.MISSING_HEADER, camera, seq,
                    where(camera, seq) + ": header " + name + " is missing");
        }
        return v;
    }

    private static long number(String text, String name, String camera, long seq) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new FrameFormatException(FrameFormatException.Reason.BAD_HEADER, camera, seq,
                    where(camera, seq) + ": header " + name + " is not a number: '" + text + "'");
        }
    }

    private static String where(String camera, long seq) {
        return "camera " + camera + (seq >= 0 ? " seq " + seq : "");
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
