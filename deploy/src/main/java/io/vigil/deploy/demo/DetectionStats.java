package io.vigil.deploy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.video.kafka.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows {@code vigil.detections} from the moment it is created and keeps the figures the demo's status line
 * shows: events, objects, and the end-to-end latency each event reports.
 */
public final class DetectionStats implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();
    private final List<Long> latencies = new ArrayList<>();
    private final Set<String> tracks = ConcurrentHashMap.newKeySet();
    private final Map<String, String> lastLabel = new ConcurrentHashMap<>();
    private final Map<String, Long> inference = new ConcurrentHashMap<>();   // since the last drain
    private volatile boolean running = true;

    public DetectionStats(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-demo-status-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(Topics.DETECTIONS, Topics.ACTIONS)) {
            for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) parts.add(new TopicPartition(pi.topic(), pi.partition()));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        for (TopicPartition tp : parts) consumer.position(tp); // resolve "end" now, not at the first poll
        thread = new Thread(this::run, "vigil-demo-status");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        JsonNode n = json.readTree(r.value());
                        if (r.topic().equals(Topics.ACTIONS)) {
                            lastLabel.put(n.path("camera").asText() + "#" + n.path("track").asLong(), n.path("labels").path(0).path("label").asText());
                            continue;
                        }
                        for (JsonNode o : n.path("objects")) if (o.has("track")) tracks.add(n.path("camera").asText() + "#" + o.path("track").asLong());
                        events.incrementAndGet();
                        objects.addAndGet(n.path("objects").size());
                        inference.merge(n.path("inference").asText("full"), 1L, Long::sum);
                        synchronized (latencies) {
                            latencies.add(n.path("latencyMs").asLong());
                        }
                    } catch (IOException e) {
                        // not ours to judge here; `vigil events` shows raw values
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    public long events() { return events.get(); }

    public long objects() { return objects.get(); }

    /** Distinct (camera, track) pairs seen. */
    public int tracks() { return tracks.size(); }

    /** How many tracks currently carry each action label, e.g. {Move=5, Stop=2}. */
    public Map<String, Long> labels() {
        return new TreeMap<>(lastLabel.values().stream().collect(Collectors.groupingBy(l -> l, Collectors.counting())));
    }

    /**
     * Since the last call: the share of frames the detector ran on and the skipped ones by reason, e.g.
     * "detector 40 % (interval 60 %)"; "-" when no event came.
     */
    public String drainInference() {
        Map<String, Long> m = new TreeMap<>();
        for (String k : List.copyOf(inference.keySet())) {
            Long v = inference.remove(k);
            if (v != null) m.put(k, v);
        }
        long total = m.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) return "-";
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "detector %.0f %%", 100.0 * m.getOrDefault("full", 0L) / total));
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            if (!e.getKey().equals("full")) skipped.add(String.format(java.util.Locale.ROOT, "%s %.0f %%", e.getKey(), 100.0 * e.getValue() / total));
        }
        if (!skipped.isEmpty()) sb.append(" (").append(String.join(", ", skipped)).append(')');
        return sb.toString();
    }

    /** p50 and p95 of the latencies seen since the last call, in ms; empty array when none. */
    public long[] drainLatencyPercentiles() {
        long[] v;
        synchronized (latencies) {
            v = latencies.stream().mapToLong(Long::longValue).toArray();
            latencies.clear();
        }
        if (v.length == 0) return new long[0];
        Arrays.sort(v);
        return new long[] {v[(int) Math.floor(0.5 * (v.length - 1))], v[(int) Math.floor(0.95 * (v.length - 1))]};
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
