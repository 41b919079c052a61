package io.vigil.video.gateway;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Camera status events as JSON on {@code vigil.camera-status}, key = camera id. */
public final class KafkaStatusSink implements StatusSink {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String gateway;

    public KafkaStatusSink(String bootstrap, Properties overrides) {
        this(bootstrap, overrides, null);
    }

    /** Each event names {@code gateway} as the camera's owner (a gateway group's member id); null names none. */
    public KafkaStatusSink(String bootstrap, Properties overrides, String gateway) {
        this.gateway = gateway;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-gateway-status");
        p.putAll(overrides);
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(CameraStatus s) {
        producer.send(new ProducerRecord<>(Topics.CAMERA_STATUS, null, s.ts(), s.camera().getBytes(StandardCharsets.UTF_8), s.toJson(gateway)));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
