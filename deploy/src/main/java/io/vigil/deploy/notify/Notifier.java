package io.vigil.deploy.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.video.kafka.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Vigil's topics and delivers each matching event to every webhook, at least once: a record's offset is
 * committed only after every webhook took it, or after it went to {@code vigil.deadletter} (with why) once a webhook
 * failed it {@code maxAttempts} times or refused it (a 4xx other than 408/429). Retries back off exponentially with
 * jitter. A redelivery (a restart before the commit) carries the same {@code topic:partition:offset} id, so a receiver
 * that keeps ids drops the duplicate. While a webhook is down the notifier waits on it: events queue in Kafka, in order,
 * none lost.
 */
public final class Notifier implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a matching event's body is written: the event as it is, or a Slack message ({"text": ...}). */
    public enum Format { RAW, SLACK }

    public record Settings(String bootstrap, Properties client, List<String> topics, String group, EventFilter filter, List<Webhook> webhooks,
                           Format format, int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
        public Settings {
            if (webhooks.isEmpty()) throw new IllegalArgumentException("notify: at least one --webhook is needed");
            if (topics.isEmpty()) throw new IllegalArgumentException("notify: at least one --topic is needed");
            if (maxAttempts < 1) throw new IllegalArgumentException("notify: --max-attempts must be at least 1, got " + maxAttempts);
            if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
                throw new IllegalArgumentException("notify: backoff must be 0 <= first <= max, got " + firstBackoff + " and " + maxBackoff);
            }
            topics = topics.stream().map(Topics::resolve).toList();
            webhooks = List.copyOf(webhooks);
        }
    }

    private final Settings s;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private volatile boolean running = true;
    private volatile Thread thread;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong filteredOut = new AtomicLong();

    public Notifier(Settings s) {
        this.s = s;
        Properties c = new Properties();
        c.putAll(s.client());
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, s.group());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"); // a new group starts with what happens from now on
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the job's exactly-once events only once committed
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        // a webhook that is down holds the loop in its retries: stay in the group meanwhile
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(Math.max(300_000L, 4L * s.maxAttempts() * s.maxBackoff().toMillis())));
        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Properties p = new Properties();
        p.putAll(s.client());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.deadLetters = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Events delivered to every webhook, retries made, events dead-lettered, events the filter let pass by. */
    public long delivered() { return delivered.get(); }

    public long retries() { return retries.get(); }

    public long deadLettered() { return deadLettered.get(); }

    public long filteredOut() { return filteredOut.get(); }

    @Override
    public void run() {
        thread = Thread.currentThread();
        consumer.subscribe(s.topics());
        try {
            while (running) {
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!handle(r)) {
                        // stopping mid-delivery: what was finished is committed, that record and the rest come again
                        if (!done.isEmpty()) consumer.commitSync(done);
                        return;
                    }
                    // what a stop mid-batch commits
                    done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                commitPositions();
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * After every record a poll returned was dealt with: the consumer's position on each partition, which is past those
     * records and past transaction markers (the job writes its topics in transactions; a marker takes an offset, so the
     * last record + 1 would leave the group one offset short of the end forever).
     */
    private void commitPositions() {
        Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long pos = consumer.position(tp, Duration.ofSeconds(5));
            Long before = committed.get(tp);
            if (before == null || pos > before) at.put(tp, new OffsetAndMetadata(pos));
        }
        if (at.isEmpty()) return;
        consumer.commitSync(at);
        at.forEach((tp, o) -> committed.put(tp, o.offset()));
    }

    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** @return false when the notifier is stopping and {@code r} was not dealt with */
    private boolean handle(ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
        if (r.value() == null) return true;
        String id = r.topic() + ":" + r.partition() + ":" + r.offset();
        JsonNode event;
        try {
            event = JSON.readTree(r.value());
        } catch (IOException e) {
            return deadLetter(r, null, "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!s.filter().matches(event)) {
            filteredOut.incrementAndGet();
            return true;
        }
        byte[] body = s.format() == Format.SLACK ? slack(event) : r.value();
        for (Webhook w : s.webhooks()) {
            String failed = deliver(w, id, body);
            if (failed == null && !running) return false;
            if (failed != null && !deadLetter(r, event, "webhook " + w.display() + ": " + failed)) return false;
        }
        delivered.incrementAndGet();
        return true;
    }

    /** null when delivered (or when stopping), else why it was given up. */
    private String deliver(Webhook w, String id, byte[] body) throws InterruptedException {
        long backoff = s.firstBackoff().toMillis();
        String last = null;
        for (int attempt = 1; attempt <= s.maxAttempts() && running; attempt++) {
            Webhook.Attempt a = w.post(id, body);
            switch (a.outcome()) {
                case DELIVERED -> {
                    return null;
                }
                case REFUSED -> {
                    return "refused (" + a.detail() + "), not retried";
                }
                case RETRY -> last = a.detail();
            }
            if (attempt == s.maxAttempts()) break;
            retries.incrementAndGet();
            LOG.warn("notify: {} for event {} failed ({}), attempt {} of {}; retrying in {} ms", w.display(), id, a.detail(), attempt, s.maxAttempts(), backoff);
            sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
            backoff = Math.min(s.maxBackoff().toMillis(), Math.max(1, backoff * 2));
        }
        return running ? s.maxAttempts() + " attempts failed, the last: " + last : null;
    }

    private void sleep(long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (running && System.currentTimeMillis() < end) Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
    }

    /** The event on vigil.deadletter with why; false when stopping before the broker took it. */
    private boolean deadLetter(ConsumerRecord<byte[], byte[]> r, JsonNode event, String reason) throws InterruptedException {
        ObjectNode d = JSON.createObjectNode();
        d.put("schema", "vigil.deadletter/1");
        d.put("camera", event == null ? null : event.path("camera").asText(null));
        d.put("frame", event == null ? -1 : event.path("frame").asLong(-1));
        d.put("ts", event == null ? r.timestamp() : event.path("ts").asLong(r.timestamp()));
        d.put("reason", "notify: " + reason);
        d.put("topic", r.topic());
        d.put("partition", r.partition());
        d.put("offset", r.offset());
        try {
            deadLetters.send(new ProducerRecord<>(Topics.DEADLETTER, r.key(), d.toString().getBytes(StandardCharsets.UTF_8))).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("notify: could not write the dead letter of " + r.topic() + ":" + r.partition() + ":" + r.offset()
                    + " (" + reason + "): " + e.getCause(), e.getCause());
        }
        deadLettered.incrementAndGet();
        LOG.error("notify: event {}:{}:{} dead-lettered: {}", r.topic(), r.partition(), r.offset(), reason);
        return true;
    }

    /** A Slack incoming-webhook message: one line saying what happened where. */
    static byte[] slack(JsonNode e) {
        StringBuilder t = new StringBuilder();
        t.append(e.path("camera").asText("?")).append(": ");
        if (e.has("type")) {
            t.append(e.path("type").asText()).append(' ').append(e.path("ruleName").asText(e.path("rule").asText("")));
            if (e.has("label")) t.append(", ").append(e.path("label").asText());
            if (e.has("track")) t.append(" (track ").append(e.path("track").asText()).append(')');
            if (e.has("direction")) t.append(", ").append(e.path("direction").asText());
            if (e.has("dwellSeconds")) t.append(String.format(java.util.Locale.ROOT, ", %.1f s", e.path("dwellSeconds").asDouble()));
        } else {
            t.append(e.path("objects").size()).append(" object(s) in frame ").append(e.path("frame").asText());
        }
        ObjectNode m = JSON.createObjectNode().put("text", t.toString());
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        // the loop sees the flag within a poll or a backoff step and commits what it finished; a webhook call in flight
        // ends at its timeout; only a loop still stuck after that is woken out of Kafka
        Thread t = thread;
        if (t != null) {
            t.join(15_000);
            if (t.isAlive()) {
                consumer.wakeup();
                t.join(5_000);
            }
        }
        deadLetters.close(Duration.ofSeconds(5));
    }
}
