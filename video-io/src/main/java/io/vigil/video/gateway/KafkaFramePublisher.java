package io.vigil.video.gateway;

import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.kafka.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes frames to {@code vigil.frames} with producer settings suited to video. */
public final class KafkaFramePublisher implements FramePublisher {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    public KafkaFramePublisher(String bootstrapServers) {
        this(bootstrapServers, Topics.FRAMES, new Properties());
    }

    public KafkaFramePublisher(String bootstrapServers, String topic, Properties overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // JPEG does not compress further; compressing would only cost CPU.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES)); // = the topic's max.message.bytes
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(4L * Topics.FRAMES_MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-gateway");
        p.putAll(overrides);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    @Override
    public void publish(FrameRecord frame, Consumer<Exception> onDone) {
        producer.send(FrameCodec.toRecord(topic, frame), (meta, err) -> onDone.accept(err));
    }

    @Override
    public void publish(FrameRecord frame, java.util.Map<String, String> headers, Consumer<Exception> onDone) {
        var record = FrameCodec.toRecord(topic, frame);
        for (var h : headers.entrySet()) record.headers().add(h.getKey(), h.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        producer.send(record, (meta, err) -> onDone.accept(err));
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
