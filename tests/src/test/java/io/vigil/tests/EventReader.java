package io.vigil.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A plain read_committed KafkaConsumer that collects JSON events from a topic, from the beginning. */
public final class EventReader implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaConsumer<byte[], byte[]> consumer;

    public EventReader(String bootstrap, String topic) {
        this(bootstrap, topic, new Properties(), "test-reader-" + UUID.randomUUID());
    }

    /** With client settings (SASL logins) and a consumer group of its own. */
    public EventReader(String bootstrap, String topic, Properties client, String group) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Polls until {@code done} holds for what was collected (matching {@code keep}) or the timeout passes. */
    public List<JsonNode> collect(Predicate<JsonNode> keep, Predicate<List<JsonNode>> done, Duration timeout) {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !done.test(out)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.value() == null) continue; // a tombstone on a compacted topic
                try {
                    JsonNode n = JSON.readTree(r.value());
                    if (keep.test(n)) out.add(n);
                } catch (IOException e) {
                    throw new UncheckedIOException("event on " + r.topic() + " is not JSON", e);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
