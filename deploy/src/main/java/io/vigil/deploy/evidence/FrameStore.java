package io.vigil.deploy.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameFormatException;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka as the recorder: frames read back from {@code vigil.frames} by camera and seq (or by an event's frameRef), and
 * the detections of a frame from {@code vigil.detections}. A frame past the topic's retention is reported as expired,
 * with the oldest frame still there.
 */
public final class FrameStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String bootstrap;
    /** How far before a capture time a seek by record time starts (the gateway's queue and clock skew). */
    private static final long SEEK_SLACK_MS = 5_000;

    public FrameStore(String bootstrap, Properties client) {
        Properties p = new Properties();
        if (client != null) p.putAll(client);
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("max.partition.fetch.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES));
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.bootstrap = bootstrap;
    }

    /** Thrown when the frame is not (or no longer) on the topic; the message says which and what is there. */
    public static final class NotFound extends Exception {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /** The frame at an exact position (an analytics event's frameRef). */
    public FrameRecord at(String topic, int partition, long offset) throws NotFound {
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
        if (offset < begin) throw new NotFound("offset " + offset + " of " + tp + " has expired (retention): the oldest there is " + begin);
        consumer.seek(tp, offset);
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                if (r.offset() == offset) return decode(r);
            }
        }
        throw new NotFound("no record at offset " + offset + " of " + tp);
    }

    /** The camera's frames with seq in [from, to], in order, read from the start of each partition that has the camera. */
    public List<FrameRecord> frames(String camera, long fromSeq, long toSeq) throws NotFound {
        List<FrameRecord> out = new ArrayList<>();
        long[] oldest = {Long.MAX_VALUE, 0};
        scan(Topics.FRAMES, camera, -1, r -> {
            FrameRecord f;
            try {
                f = decode(r);
            } catch (NotFound e) {
                return true;
            }
            if (f.seq() < oldest[0]) {
                oldest[0] = f.seq();
                oldest[1] = f.tsMicros();
            }
            if (f.seq() >= fromSeq && f.seq() <= toSeq) out.add(f);
            return f.seq() < toSeq;
        });
        if (out.isEmpty()) {
            if (oldest[0] != Long.MAX_VALUE && oldest[0] > toSeq) {
                throw new NotFound("frames " + fromSeq + ".." + toSeq + " of camera " + camera + " have expired from " + Topics.FRAMES
                        + " (retention): the oldest there is seq " + oldest[0] + " from " + Instant.ofEpochMilli(oldest[1] / 1000));
            }
            throw new NotFound("no frame " + fromSeq + (toSeq == fromSeq ? "" : ".." + toSeq) + " of camera " + camera + " on " + Topics.FRAMES
                    + " at " + bootstrap + (oldest[0] == Long.MAX_VALUE ? " (the camera has no frames there)" : ""));
        }
        out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return out;
    }

    /** The camera's frames captured in [fromMicros, toMicros]. */
    public List<FrameRecord> framesBetween(String camera, long fromMicros, long toMicros) throws NotFound {
        List<FrameRecord> out = new ArrayList<>();
        long[] oldest = {Long.MAX_VALUE};
        // a frame's record is written after its capture, so its record timestamp is at least its capture time
        scan(Topics.FRAMES, camera, fromMicros / 1000 - SEEK_SLACK_MS, r -> {
            try {
                FrameRecord f = decode(r);
                oldest[0] = Math.min(oldest[0], f.tsMicros());
                if (f.tsMicros() >= fromMicros && f.tsMicros() <= toMicros) out.add(f);
                return f.tsMicros() <= toMicros;
            } catch (NotFound e) {
                return true;
            }
        });
        if (out.isEmpty()) {
            FrameRecord first = oldestFrame(camera);
            if (first != null && first.tsMicros() > toMicros) {
                throw new NotFound("frames of camera " + camera + " captured " + Instant.ofEpochMilli(fromMicros / 1000) + " .. "
                        + Instant.ofEpochMilli(toMicros / 1000) + " have expired from " + Topics.FRAMES + " (retention): the oldest there is seq "
                        + first.seq() + " from " + Instant.ofEpochMilli(first.tsMicros() / 1000));
            }
            throw new NotFound("no frame of camera " + camera + " captured " + Instant.ofEpochMilli(fromMicros / 1000) + " .. "
                    + Instant.ofEpochMilli(toMicros / 1000) + " on " + Topics.FRAMES + " at " + bootstrap);
        }
        out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return out;
    }

    /** The detection event of the camera's frame, or null. */
    public JsonNode detections(String camera, long seq) {
        return detections(camera, seq, seq).get(seq);
    }

    /** The camera's detection events of frames fromSeq..toSeq, by frame (committed events only). */
    public Map<Long, JsonNode> detections(String camera, long fromSeq, long toSeq) {
        return detections(camera, fromSeq, toSeq, -1);
    }

    /** As {@link #detections(String, long, long)}, reading only events written from {@code sinceMs} on (-1: all). */
    public Map<Long, JsonNode> detections(String camera, long fromSeq, long toSeq, long sinceMs) {
        Map<Long, JsonNode> out = new java.util.HashMap<>();
        scan(Topics.DETECTIONS, camera, sinceMs < 0 ? -1 : sinceMs - SEEK_SLACK_MS, r -> {
            try {
                JsonNode n = JSON.readTree(r.value());
                long f = n.path("frame").asLong();
                if (f >= fromSeq && f <= toSeq) out.put(f, n);
                return f < toSeq;
            } catch (IOException e) {
                return true;
            }
        });
        return out;
    }

    private interface Visitor {
        /** false = stop */
        boolean visit(ConsumerRecord<byte[], byte[]> r);
    }

    /** Every record keyed by {@code camera} from the beginning to the current end, until the visitor says stop. */
    private void scan(String topic, String camera, long sinceMs, Visitor v) {
        byte[] key = camera.getBytes(StandardCharsets.UTF_8);
        List<TopicPartition> parts = partitions(topic);
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        if (sinceMs >= 0) {
            Map<TopicPartition, Long> query = new java.util.HashMap<>();
            for (TopicPartition tp : parts) query.put(tp, sinceMs);
            consumer.offsetsForTimes(query).forEach((tp, at) -> {
                if (at != null) consumer.seek(tp, at.offset());
                else consumer.seekToEnd(List.of(tp)); // nothing written since then
            });
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(parts);
        List<TopicPartition> open = new ArrayList<>(parts);
        open.removeIf(tp -> end.get(tp) == 0);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!open.isEmpty() && System.currentTimeMillis() < deadline) {
            var records = consumer.poll(Duration.ofMillis(200));
            for (TopicPartition tp : new ArrayList<>(open)) {
                for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                    if (r.key() != null && java.util.Arrays.equals(r.key(), key) && r.value() != null && !v.visit(r)) return;
                }
                if (consumer.position(tp) >= end.get(tp)) open.remove(tp);
            }
        }
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    /** The camera's oldest frame still on the topic (the first one from the start of its partition), or null. */
    private FrameRecord oldestFrame(String camera) {
        FrameRecord[] first = {null};
        scan(Topics.FRAMES, camera, -1, r -> {
            try {
                first[0] = decode(r);
                return false;
            } catch (NotFound e) {
                return true;
            }
        });
        return first[0];
    }

    private static FrameRecord decode(ConsumerRecord<byte[], byte[]> r) throws NotFound {
        try {
            return FrameCodec.fromRecord(r);
        } catch (FrameFormatException e) {
            throw new NotFound("the record at " + r.topic() + "-" + r.partition() + "@" + r.offset() + " is not a frame: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
