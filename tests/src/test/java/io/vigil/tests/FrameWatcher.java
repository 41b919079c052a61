package io.vigil.tests;

import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows vigil.frames from now on, on its own thread, remembering (camera, seq, width, arrival ms) of each record. */
final class FrameWatcher implements AutoCloseable {
    record Seen(String camera, long seq, int width, long arrivedMs) {}

    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    FrameWatcher(String bootstrap) {
        this(bootstrap, false);
    }

    /** @param committedOnly read as the job does (read_committed): a frame is seen when its transaction commits */
    FrameWatcher(String bootstrap, boolean committedOnly) {
        consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", "watch-" + UUID.randomUUID(),
                "auto.offset.reset", "latest", "enable.auto.commit", "false",
                "isolation.level", committedOnly ? "read_committed" : "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.FRAMES));
        long deadline = System.currentTimeMillis() + 20_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) consumer.poll(Duration.ofMillis(100));
        thread = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        String cam = new String(r.key(), StandardCharsets.UTF_8);
                        seen.add(new Seen(cam, Long.parseLong(FrameCodec.peek(r.headers(), FrameHeaders.SEQ)),
                                Integer.parseInt(FrameCodec.peek(r.headers(), FrameHeaders.WIDTH)), System.currentTimeMillis()));
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            }
        }, "frame-watcher");
        thread.start();
    }

    List<Seen> of(String camera) {
        synchronized (seen) {
            return seen.stream().filter(s -> s.camera().equals(camera)).toList();
        }
    }

    List<Seen> of(String camera, long fromMs, long toMs) {
        return of(camera).stream().filter(s -> s.arrivedMs() >= fromMs && s.arrivedMs() < toMs).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
        consumer.close();
    }
}
