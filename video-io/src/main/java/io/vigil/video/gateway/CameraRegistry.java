package io.vigil.video.gateway;

import io.vigil.video.kafka.CompactedTopic;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The camera registry on the compacted topic {@code vigil.cameras}: key = camera id, value = {@link CameraSpec}
 * JSON, a tombstone unsubscribes. {@link #put}, {@link #remove} and {@link #list} are what {@code vigil cameras}
 * does; {@link #follow} feeds a running gateway from the beginning and then live.
 */
public final class CameraRegistry {
    private CameraRegistry() {}

    public static void put(String bootstrap, CameraSpec spec) {
        put(bootstrap, null, spec);
    }

    /** With client settings (security.protocol, sasl.*, ssl.*). */
    public static void put(String bootstrap, Properties client, CameraSpec spec) {
        spec.validate();
        send(bootstrap, client, spec.id(), spec.toJson());
    }

    public static void remove(String bootstrap, String cameraId) {
        remove(bootstrap, null, cameraId);
    }

    public static void remove(String bootstrap, Properties client, String cameraId) {
        send(bootstrap, client, cameraId, null);
    }

    private static void send(String bootstrap, Properties client, String key, byte[] value) {
        CompactedTopic.write(bootstrap, client, Topics.CAMERAS, key, value, "camera");
    }

    /** The current subscriptions: the compacted topic read to its end. Invalid entries are returned as errors. */
    public static Map<String, Object> list(String bootstrap) {
        return list(bootstrap, null);
    }

    /** With client settings (security.protocol, sasl.*, ssl.*). */
    public static Map<String, Object> list(String bootstrap, Properties client) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : CompactedTopic.readToEnd(bootstrap, client, Topics.CAMERAS).entrySet()) {
            try {
                out.put(e.getKey(), CameraSpec.parse(e.getKey(), e.getValue()));
            } catch (CameraSpec.InvalidException ex) {
                out.put(e.getKey(), ex.getMessage());
            }
        }
        return out;
    }

    /**
     * Applies one record of {@code vigil.cameras} to the gateway: a spec starts or changes its camera, a tombstone removes
     * it, an invalid spec stops the camera and is reported {@code failed} with the reason (credentials redacted).
     */
    static void handle(String key, byte[] value, CameraGateway gateway) {
        try {
            if (value == null) gateway.remove(key);
            else gateway.apply(CameraSpec.parse(key, value));
        } catch (CameraSpec.InvalidException e) {
            gateway.remove(key); // an invalid update stops the old stream too: the user asked for a change
            gateway.reject(key, e.getMessage());
        } catch (RuntimeException e) {
            gateway.reject(key, e.toString());
        }
    }

    /** Follows the registry on its own thread, applying each subscription to the gateway as it arrives. */
    public static Follower follow(String bootstrap, CameraGateway gateway) {
        return follow(bootstrap, new Properties(), gateway);
    }

    /** As {@link #follow(String, CameraGateway)} with extra client settings (security.protocol, sasl.*, ssl.*). */
    public static Follower follow(String bootstrap, Properties client, CameraGateway gateway) {
        return follow(bootstrap, client, (key, value) -> handle(key, value, gateway));
    }

    /** What a follower hands each record of the registry to: a spec's JSON, or null for a tombstone. */
    public interface Listener {
        void onRecord(String camera, byte[] spec);
    }

    /** Applies one record to a gateway as {@link #follow(String, CameraGateway)} does: for a listener that picks its cameras. */
    public static void apply(String camera, byte[] spec, CameraGateway gateway) {
        handle(camera, spec, gateway);
    }

    /** Follows the registry on its own thread, handing every record to {@code listener}, from the beginning and then live. */
    public static Follower follow(String bootstrap, Properties client, Listener listener) {
        KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, client);
        List<TopicPartition> parts;
        Map<TopicPartition, Long> end;
        try {
            parts = assignAll(c);
            c.seekToBeginning(parts);
            end = c.endOffsets(parts, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            c.close(Duration.ofSeconds(1));
            throw e;
        }
        Follower f = new Follower(c, end);
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.key() == null) continue;
                        listener.onRecord(new String(r.key(), StandardCharsets.UTF_8), r.value());
                    }
                    f.checkCaughtUp();
                }
            } catch (WakeupException | InterruptException e) {
                // closing
            } catch (RuntimeException e) {
                f.died = e.toString();
                throw e;
            } finally {
                f.died = f.died == null ? "stopped" : f.died;
                c.close(Duration.ofSeconds(2));
            }
        }, "vigil-camera-registry");
        t.setDaemon(true);
        f.thread = t;
        t.start();
        return f;
    }

    /** A running follow of the registry. */
    public static final class Follower implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<TopicPartition, Long> endAtStart;
        private volatile boolean caughtUp;
        private volatile String died;
        private Thread thread;

        private Follower(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> endAtStart) {
            this.consumer = consumer;
            this.endAtStart = endAtStart;
        }

        /** On the follower's thread: whether it has read every subscription that existed when it started. */
        private void checkCaughtUp() {
            if (caughtUp) return;
            for (Map.Entry<TopicPartition, Long> e : endAtStart.entrySet()) if (consumer.position(e.getKey()) < e.getValue()) return;
            caughtUp = true;
        }

        /** null when the follower runs and has applied every subscription there was when it started, else why not. */
        public String problem() {
            if (died != null) return "the registry follower stopped: " + died;
            return caughtUp ? null : "still reading " + Topics.CAMERAS;
        }

        @Override
        public void close() throws InterruptedException {
            consumer.wakeup();
            thread.join(5000);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "vigil-registry-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> parts = new ArrayList<>();
        List<PartitionInfo> infos = c.partitionsFor(Topics.CAMERAS, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + Topics.CAMERAS + " does not exist");
        for (PartitionInfo pi : infos) parts.add(new TopicPartition(pi.topic(), pi.partition()));
        c.assign(parts);
        return parts;
    }
}
