package io.vigil.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaITCase {
    @TempDir
    Path data;

    @Test
    void createsTopicsAndKeepsRecordsAcrossARestartOnTheSameDirectory() throws Exception {
        int port;
        int controllerPort;
        try (EmbeddedKafka k = EmbeddedKafka.start(data, 0, true)) {
            port = k.port();
            controllerPort = k.controllerPort();
            k.createVigilTopics(3);
            Set<String> names = k.admin().listTopics().names().get();
            assertTrue(names.containsAll(Topics.ALL), names.toString());
            assertEquals(3, k.admin().describeTopics(List.of(Topics.FRAMES)).allTopicNames().get().get(Topics.FRAMES).partitions().size());
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", k.bootstrap(), "acks", "all"),
                    new StringSerializer(), new StringSerializer())) {
                p.send(new ProducerRecord<>(Topics.CAMERA_STATUS, "cam", "hello")).get();
            }
        }
        try (EmbeddedKafka k = EmbeddedKafka.start(data, port, false, controllerPort)) {
            k.createVigilTopics(3); // idempotent
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", k.bootstrap(),
                    "group.id", "t", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of(Topics.CAMERA_STATUS));
                List<String> got = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) got.add(r.value());
                }
                assertEquals(List.of("hello"), got);
            }
        }
    }

    @Test
    void busyPortIsReportedOrAvoided() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int busy = s.getLocalPort();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.start(null, busy, false));
            assertTrue(e.getMessage().contains("port " + busy), e.getMessage());
            try (EmbeddedKafka k = EmbeddedKafka.start(null, busy, true)) {
                assertTrue(k.port() != busy);
                assertTrue(new String(k.bootstrap().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).startsWith("127.0.0.1:"));
            }
        }
    }
}
