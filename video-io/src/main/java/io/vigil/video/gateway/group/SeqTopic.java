package io.vigil.video.gateway.group;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.stream.IntStream;

/** Reads {@code vigil.gateway-seq}: where each camera's stream stands, as committed. */
public final class SeqTopic {
    private static final Logger LOG = LoggerFactory.getLogger(SeqTopic.class);

    private SeqTopic() {}

    /**
     * The last committed record of every camera in these slots. Read {@code read_committed} after the slots' producers
     * were opened, which aborted or completed the previous owners' transactions, so nothing is left pending. A record
     * that does not parse is skipped and logged (the camera then continues from an earlier record, or 0).
     */
    public static Map<String, SeqRecord> readSlots(String bootstrap, Properties client, Collection<Integer> slots) {
        if (slots.isEmpty()) return new HashMap<>();
        try (Reader r = new Reader(bootstrap, client)) {
            return r.read(slots);
        }
    }

    /** One consumer kept for many reads (opening one costs more than reading a slot): one thread at a time. */
    public static final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> c;

        public Reader(String bootstrap, Properties client) {
            c = consumer(bootstrap, client);
        }

        /** As {@link SeqTopic#readSlots}. */
        public Map<String, SeqRecord> read(Collection<Integer> slots) {
            return SeqTopic.read(c, slots);
        }

        @Override
        public void close() {
            c.close(Duration.ofSeconds(5));
        }
    }

    private static Map<String, SeqRecord> read(KafkaConsumer<byte[], byte[]> c, Collection<Integer> slots) {
        Map<String, SeqRecord> out = new HashMap<>();
        if (slots.isEmpty()) return out;
        {
            List<TopicPartition> tps = slots.stream().map(s -> new TopicPartition(Topics.GATEWAY_SEQ, s)).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) throw new IllegalStateException(Topics.GATEWAY_SEQ + " slots " + slots + ": not read to their ends " + end + " in 60 s");
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) continue;
                    String camera = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        out.remove(camera);
                        continue;
                    }
                    try {
                        out.put(camera, SeqRecord.parse(camera, r.value()));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("{} slot {} offset {}: camera {}: {}", Topics.GATEWAY_SEQ, r.partition(), r.offset(), camera, e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    /** Every camera's last committed record, over all slots. */
    public static Map<String, SeqRecord> readAll(String bootstrap, Properties client, int slots) {
        return readSlots(bootstrap, client, IntStream.range(0, slots).boxed().toList());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
