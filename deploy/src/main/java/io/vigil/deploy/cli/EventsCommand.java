package io.vigil.deploy.cli;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", description = "Print events from Vigil's topics as JSON lines.")
final class EventsCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--topic", split = ",", description = "topic(s), short names accepted (default detections)")
    List<String> topics = new ArrayList<>(List.of("detections"));

    @Option(names = "--camera", description = "only this camera")
    String camera;

    @Option(names = "--from-beginning", description = "start at the oldest retained event instead of now")
    boolean fromBeginning;

    @Option(names = "--count", description = "stop after printing N events")
    long count;

    @Option(names = "--timeout", description = "stop after this long with no event (e.g. 30s; default: never)")
    String timeout;

    @Override
    public Integer call() {
        List<String> resolved = topics.stream().map(Topics::resolve).toList();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-events-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long idleLimitMs = timeout == null ? Long.MAX_VALUE : io.vigil.flink.config.Durations.parse("timeout", timeout).toMillis();
        long printed = 0;
        long lastEvent = System.currentTimeMillis();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(resolved);
            Runtime.getRuntime().addShutdownHook(new Thread(c::wakeup));
            while (count <= 0 || printed < count) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    lastEvent = System.currentTimeMillis();
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (camera != null && !camera.equals(key)) continue;
                    if (r.value() == null) continue;
                    System.out.println(new String(r.value(), StandardCharsets.UTF_8));
                    if (count > 0 && ++printed >= count) break;
                }
                System.out.flush();
                if (System.currentTimeMillis() - lastEvent > idleLimitMs) {
                    System.err.println("vigil events: no event for " + timeout + ", stopping");
                    return printed > 0 ? 0 : 1;
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            return 0;
        }
        return 0;
    }
}
