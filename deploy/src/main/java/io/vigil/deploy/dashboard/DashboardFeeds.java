package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two Kafka consumers feeding {@link DashboardState}: one for the JSON topics (read_committed; the last minutes of
 * detections, actions, status, analytics events and counts so the charts start filled, every subscription and rule from
 * the start of its compacted topic) and one for the frames topic from its end (the newest JPEGs). No consumer group: the dashboard commits
 * nothing and never takes partitions from anyone.
 */
public final class DashboardFeeds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardFeeds.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> events;
    private final KafkaConsumer<byte[], byte[]> frames;
    final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    /** Why a feed thread ended while the dashboard still runs (its page would show stale data), by thread name. */
    private final Map<String, String> died = new java.util.concurrent.ConcurrentHashMap<>();

    /** Told when a feed stops while the dashboard runs, with {@link #problem()}. */
    private volatile java.util.function.Consumer<String> onStop = why -> { };

    void onStop(java.util.function.Consumer<String> listener) {
        this.onStop = listener;
    }

    public DashboardFeeds(String bootstrap, Properties client, DashboardState state) {
        events = consumer(bootstrap, client, "read_committed");
        frames = consumer(bootstrap, client, "read_uncommitted");
        threads.add(new Thread(watched("events", () -> pollEvents(state)), "dashboard-events"));
        threads.add(new Thread(watched("frames", () -> pollFrames(state)), "dashboard-frames"));
    }

    /** Records why a feed ended, whatever ended it (an error, an interrupt, a return), unless the dashboard is closing. */
    private Runnable watched(String feed, Runnable loop) {
        return () -> {
            String why = "it returned";
            try {
                loop.run();
            } catch (Throwable t) {
                why = t.toString();
                throw t;
            } finally {
                if (running) {
                    died.put(feed, lastError.getOrDefault(feed, why));
                    LOG.error("dashboard: the {} feed stopped ({}): the page shows stale data until the dashboard is restarted", feed, died.get(feed));
                    onStop.accept(problem());
                }
            }
        };
    }

    private final Map<String, String> lastError = new java.util.concurrent.ConcurrentHashMap<>();

    /** null while every feed runs, else which stopped and why ("the events feed stopped: ..."). */
    public String problem() {
        if (died.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        died.forEach((feed, why) -> sb.append(sb.isEmpty() ? "" : "; ").append("the ").append(feed).append(" feed stopped: ").append(why));
        return sb.toString();
    }

    public DashboardFeeds start() {
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        return this;
    }

    private void pollEvents(DashboardState state) {
        try {
            long since = state.analyticsSince();
            List<TopicPartition> fromTime = awaitPartitions(events, Topics.DETECTIONS, Topics.ACTIONS, Topics.CAMERA_STATUS);
            List<TopicPartition> fromStart = awaitPartitions(events, Topics.CAMERAS);
            if (fromTime == null || fromStart == null) return;
            // the analytics topics are newer than the rest: a cluster without them still gets a dashboard, without analytics
            for (String t : List.of(Topics.ANALYTICS, Topics.COUNTS)) fromTime.addAll(optionalPartitions(events, t));
            fromStart.addAll(optionalPartitions(events, Topics.RULES));
            List<TopicPartition> all = new ArrayList<>(fromTime);
            all.addAll(fromStart);
            events.assign(all);
            events.seekToBeginning(fromStart);
            Map<TopicPartition, Long> query = new HashMap<>();
            fromTime.forEach(tp -> query.put(tp, since));
            Map<TopicPartition, OffsetAndTimestamp> at = events.offsetsForTimes(query);
            for (TopicPartition tp : fromTime) {
                OffsetAndTimestamp o = at.get(tp);
                if (o != null) events.seek(tp, o.offset());
                else events.seekToEnd(List.of(tp));
            }
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : events.poll(Duration.ofMillis(500))) {
                    try {
                        apply(state, r);
                    } catch (Exception e) {
                        LOG.warn("dashboard: skipped a record of {} at offset {}: {}", r.topic(), r.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            lastError.put("events", e.toString());
            LOG.error("dashboard: the event feed stopped", e);
        }
    }

    private static void apply(DashboardState state, ConsumerRecord<byte[], byte[]> r) throws Exception {
        switch (r.topic()) {
            case Topics.CAMERAS -> {
                String id = new String(r.key(), StandardCharsets.UTF_8);
                state.spec(id, r.value() == null ? null : JSON.readTree(r.value()));
            }
            case Topics.RULES -> { if (r.key() != null) state.rule(new String(r.key(), StandardCharsets.UTF_8), r.value()); }
            case Topics.ANALYTICS -> { if (r.value() != null) state.analyticsEvent(JSON.readTree(r.value())); }
            case Topics.COUNTS -> { if (r.value() != null) state.counts(JSON.readTree(r.value())); }
            case Topics.DETECTIONS -> { if (r.value() != null) state.detection(JSON.readTree(r.value())); }
            case Topics.ACTIONS -> { if (r.value() != null) state.action(JSON.readTree(r.value())); }
            case Topics.CAMERA_STATUS -> {
                if (r.value() == null) return;
                JsonNode s = JSON.readTree(r.value());
                // Once a camera is unsubscribed its old status records must not bring it back on the page.
                if (!"removed".equals(s.path("state").asText())) state.status(s);
            }
            default -> { }
        }
    }

    private void pollFrames(DashboardState state) {
        try {
            List<TopicPartition> tps = awaitPartitions(frames, Topics.FRAMES);
            if (tps == null) return;
            frames.assign(tps);
            frames.seekToEnd(tps);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : frames.poll(Duration.ofMillis(500))) {
                    String seq = FrameCodec.peek(r.headers(), FrameHeaders.SEQ);
                    String codec = FrameCodec.peek(r.headers(), FrameHeaders.CODEC);
                    if (r.key() == null || r.value() == null || seq == null || !FrameHeaders.CODEC_JPEG.equals(codec)) continue;
                    try {
                        state.frame(new String(r.key(), StandardCharsets.UTF_8), Long.parseLong(seq.trim()), r.value());
                    } catch (NumberFormatException e) {
                        // a malformed frame: the job dead-letters it; nothing to show
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            lastError.put("frames", e.toString());
            LOG.error("dashboard: the frame feed stopped", e);
        }
    }

    /**
     * The topics' partitions once the broker has them: a dashboard started before the broker or before the topics
     * exist waits for them (saying so once a minute) instead of giving up. Null when closed meanwhile.
     */
    private List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> c, String... topics) {
        long lastSaid = 0;
        while (running) {
            try {
                return partitions(c, topics);
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                if (System.currentTimeMillis() - lastSaid > 60_000) {
                    LOG.warn("dashboard: waiting for {} on the broker: {}", String.join(", ", topics), e.getMessage());
                    lastSaid = System.currentTimeMillis();
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    lastError.put(Thread.currentThread().getName().replace("dashboard-", ""), "interrupted while waiting for " + String.join(", ", topics));
                    return null;
                }
            }
        }
        return null;
    }

    /** The topic's partitions, or none (said once) when the broker does not have it. */
    private static List<TopicPartition> optionalPartitions(KafkaConsumer<?, ?> c, String topic) {
        try {
            return partitions(c, topic);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("dashboard: {} is not on the broker ({}): no analytics on the page", topic, e.getMessage());
            return List.of();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String... topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (String t : topics) {
            List<PartitionInfo> ps = c.partitionsFor(t, Duration.ofSeconds(30));
            if (ps == null || ps.isEmpty()) throw new IllegalStateException("topic " + t + " does not exist on the broker");
            for (PartitionInfo p : ps) out.add(new TopicPartition(t, p.partition()));
        }
        return out;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Properties client, String isolation) {
        Properties p = new Properties();
        if (client != null) p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-dashboard-" + UUID.randomUUID().toString().substring(0, 8));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        events.wakeup();
        frames.wakeup();
        for (Thread t : threads) t.join(5000);
        events.close(Duration.ofSeconds(2));
        frames.close(Duration.ofSeconds(2));
    }
}
