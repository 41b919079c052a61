package io.vigil.flink.analytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The rules on the compacted {@code vigil.rules} topic: key = rule id, value = rule JSON, a tombstone deletes. What
 * {@code vigil rules add|remove|list} and the dashboard do; a running job applies each record within seconds.
 */
public final class RuleRegistry {
    public static final String TOPIC = io.vigil.video.kafka.Topics.RULES;

    private RuleRegistry() {}

    /** Validates the rule (as the job will) and writes it; an invalid rule is refused here with the job's message. */
    public static Rule put(String bootstrap, Properties client, byte[] json) throws InvalidRuleException {
        Rule r = RuleJson.parse(null, json);
        send(bootstrap, client, r.id(), RuleJson.write(r));
        return r;
    }

    public static void remove(String bootstrap, Properties client, String id) {
        send(bootstrap, client, id, null);
    }

    private static void send(String bootstrap, Properties client, String key, byte[] value) {
        Properties p = new Properties();
        if (client != null) p.putAll(client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key.getBytes(StandardCharsets.UTF_8), value)).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("writing rule " + key + " to " + TOPIC + " on " + bootstrap + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The current rules, the topic read to its end: id -> the rule, or the reason it is invalid. */
    public static Map<String, Object> list(String bootstrap, Properties client) {
        Properties p = new Properties();
        if (client != null) p.putAll(client);
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", "false");
        Map<String, Object> out = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC, Duration.ofSeconds(15)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 15_000;
            while (!reached(c, end) && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) continue;
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        out.remove(key);
                        continue;
                    }
                    try {
                        out.put(key, RuleJson.parse(key, r.value()));
                    } catch (InvalidRuleException e) {
                        out.put(key, e.getMessage());
                    }
                }
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) if (c.position(e.getKey()) < e.getValue()) return false;
        return true;
    }
}
