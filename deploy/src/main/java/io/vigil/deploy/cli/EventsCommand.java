package io.vigil.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.flink.config.Durations;
import io.vigil.video.kafka.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", description = {"Print events from Vigil's topics as JSON lines (or a table), following them live.",
        "Reads committed data only: with exactly-once delivery an event appears when its checkpoint commits."})
final class EventsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", split = ",", description = "topic(s), short names accepted (default detections)")
    List<String> topics = new ArrayList<>(List.of("detections"));

    @Option(names = "--camera", description = "only this camera")
    String camera;

    @Option(names = "--label", description = "only objects (detections) or labels (actions) with this label")
    String label;

    @Option(names = "--min-score", description = "only objects or labels scoring at least this")
    Double minScore;

    @Option(names = "--track", description = "only this track id")
    Long track;

    @Option(names = "--from-beginning", description = "start at the oldest retained event instead of now")
    boolean fromBeginning;

    @Option(names = "--from", description = "start at this time: ISO-8601 (2026-11-28T18:00:00Z) or epoch ms")
    String from;

    @Option(names = "--count", description = "stop after printing N events")
    long count;

    @Option(names = "--timeout", description = "stop after this long with no event (e.g. 30s; default: never)")
    String timeout;

    @Option(names = "--format", defaultValue = "json", description = "json (one object a line) or table (default ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--read-uncommitted", description = "also show events of transactions not committed yet")
    boolean uncommitted;

    @Override
    public Integer call() {
        if (!format.equals("json") && !format.equals("table")) throw new IllegalArgumentException("--format must be json or table, got " + format);
        List<String> resolved = topics.stream().map(Topics::resolve).toList();
        long fromMs = from == null ? -1 : TimeArgument.epochMillis("--from", from);
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-events-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, uncommitted ? "read_uncommitted" : "read_committed");
        long idleLimitMs = timeout == null ? Long.MAX_VALUE : Durations.parse("timeout", timeout).toMillis();
        long printed = 0;
        long lastEvent = System.currentTimeMillis();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : resolved) {
                var infos = c.partitionsFor(t, Duration.ofSeconds(15));
                if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + t + " does not exist on " + kafka.bootstrap());
                infos.forEach(i -> parts.add(new TopicPartition(t, i.partition())));
            }
            c.assign(parts);
            if (fromMs >= 0) {
                Map<TopicPartition, Long> q = new HashMap<>();
                parts.forEach(tp -> q.put(tp, fromMs));
                Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(q);
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                for (TopicPartition tp : parts) c.seek(tp, at.get(tp) == null ? end.get(tp) : at.get(tp).offset());
            } else if (fromBeginning) {
                c.seekToBeginning(parts);
            } else {
                c.seekToEnd(parts);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(c::wakeup));
            while (count <= 0 || printed < count) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    lastEvent = System.currentTimeMillis();
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (camera != null && !camera.equals(key)) continue;
                    if (r.value() == null) continue;
                    String out = render(r.topic(), r.value());
                    if (out == null) continue;
                    System.out.println(out);
                    if (count > 0 && ++printed >= count) break;
                }
                System.out.flush();
                if (System.currentTimeMillis() - lastEvent > idleLimitMs) {
                    // stopping on the timeout is what the user asked for, whether or not anything came
                    System.err.println("vigil events: no event for " + timeout + ", stopping (" + printed + " printed)");
                    return 0;
                }
            }
        } catch (WakeupException e) {
            return 0;
        }
        return 0;
    }

    /** The event as it will be printed, after the filters; null when nothing of it matches. */
    String render(String topic, byte[] value) {
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException e) {
            return format.equals("json") ? new String(value, StandardCharsets.UTF_8) : "(not JSON) " + new String(value, StandardCharsets.UTF_8);
        }
        boolean filtered = label != null || minScore != null || track != null;
        if (topic.equals(Topics.DETECTIONS) && n.isObject()) {
            if (filtered) {
                ArrayNode keep = JSON.createArrayNode();
                for (JsonNode o : n.path("objects")) if (matches(o.path("label").asText(), o.path("score").asDouble(), o.path("track").asLong(-1))) keep.add(o);
                if (keep.isEmpty()) return null;
                ((ObjectNode) n).set("objects", keep);
            }
            if (format.equals("table")) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %-12s #%-7d", Instant.ofEpochMilli(n.path("ts").asLong()),
                        n.path("camera").asText(), n.path("frame").asLong()));
                for (JsonNode o : n.path("objects")) {
                    sb.append(String.format(Locale.ROOT, "  %s%s %.2f", o.path("label").asText(), o.has("track") ? "#" + o.path("track").asLong() : "",
                            o.path("score").asDouble()));
                }
                return sb.toString();
            }
        } else if (topic.equals(Topics.ACTIONS) && n.isObject()) {
            if (filtered) {
                ArrayNode keep = JSON.createArrayNode();
                for (JsonNode l : n.path("labels")) if (matches(l.path("label").asText(), l.path("score").asDouble(), n.path("track").asLong(-1))) keep.add(l);
                if (keep.isEmpty()) return null;
                ((ObjectNode) n).set("labels", keep);
            }
            if (format.equals("table")) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %-12s #%-7d track %-5s", Instant.ofEpochMilli(n.path("ts").asLong()),
                        n.path("camera").asText(), n.path("frame").asLong(), n.has("track") ? n.path("track").asText() : "-"));
                for (JsonNode l : n.path("labels")) sb.append(String.format(Locale.ROOT, "  %s %.2f", l.path("label").asText(), l.path("score").asDouble()));
                return sb.toString();
            }
        } else if (filtered) {
            return null; // label, score and track filters only apply to detections and actions
        } else if (format.equals("table")) {
            return String.format(Locale.ROOT, "%s %-12s %s", Instant.ofEpochMilli(n.path("ts").asLong()), n.path("camera").asText(),
                    n.has("state") ? n.path("state").asText() + " " + n.path("reason").asText("") : n.path("reason").asText(n.toString()));
        }
        return n.toString();
    }

    private boolean matches(String l, double score, long trk) {
        return (label == null || label.equals(l)) && (minScore == null || score >= minScore) && (track == null || track == trk);
    }

}
