package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.deploy.notify.EventFilter;
import io.vigil.deploy.notify.Notifier;
import io.vigil.deploy.notify.Webhook;
import io.vigil.video.kafka.Topics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil notify} against a real broker and a local HTTP endpoint that fails (HTTP 500), stalls past the timeout,
 * goes away (connection refused) and comes back, and refuses one event for good (HTTP 400); the notifier is also
 * stopped and restarted midway. Every matching event is delivered, signed; none is lost; a repeat carries the same id;
 * the refused one is on vigil.deadletter with why; the group's committed offsets reach the end (past the transaction
 * markers the events are written with, as the job writes them) once all that happened; and the faults really happened.
 */
class NotifyITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-for-the-test";

    /** The endpoint: scripted faults by request number, and what it received. */
    static final class Endpoint {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger failed500 = new AtomicInteger();
        final AtomicInteger stalled = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final Map<String, List<String>> bodiesById = new ConcurrentHashMap<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        volatile HttpServer server;
        final int port;

        Endpoint() throws Exception {
            server = start(0);
            port = server.getAddress().getPort();
        }

        HttpServer start(int p) throws Exception {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 16);
            s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            s.createContext("/hook", ex -> {
                int n = requests.incrementAndGet();
                byte[] body = ex.getRequestBody().readAllBytes();
                String id = ex.getRequestHeaders().getFirst("Idempotency-Key");
                String sig = ex.getRequestHeaders().getFirst("X-Vigil-Signature-256");
                if (!Webhook.verify(SECRET.getBytes(StandardCharsets.UTF_8), ex.getRequestHeaders().getFirst("X-Vigil-Timestamp"), id, body, sig,
                        System.currentTimeMillis() / 1000, Webhook.TOLERANCE)) badSignatures.incrementAndGet();
                int status = 200;
                if (n <= 3) {
                    status = 500;
                    failed500.incrementAndGet();
                } else if (n == 6 || n == 7) {
                    stalled.incrementAndGet();
                    sleep(2500); // past the notifier's 1 s timeout
                } else if (new String(body, StandardCharsets.UTF_8).contains("\"rule\":\"refused\"")) {
                    status = 400;
                }
                if (status == 200) {
                    bodiesById.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new String(body, StandardCharsets.UTF_8));
                    order.add(id);
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            s.start();
            return s;
        }

        static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void everyMatchingEventIsDeliveredThroughFailuresStallsAnOutageAndARestart() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        String camera = "notify-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "notify-it-" + camera;
        Endpoint hook = new Endpoint();
        Notifier.Settings settings = settings(kafka.bootstrap(), group, camera, hook.port);
        Map<String, Boolean> expected = new HashMap<>(); // id -> should be delivered (false: filtered out or refused)
        String refusedId;
        Notifier first = new Notifier(settings);
        Thread t1 = new Thread(first, "notify-1");
        t1.start();
        try (KafkaProducer<byte[], byte[]> p = producer(kafka.bootstrap())) {
            Thread.sleep(3000); // the new group joins (it starts at earliest here, so nothing is missed either way)
            for (int i = 0; i < 12; i++) send(p, camera, i, i % 4 == 3 ? "car" : "person", "entrance", expected);
            refusedId = send(p, camera, 12, "person", "refused", expected);
            expected.put(refusedId, false);
            awaitDelivered(hook, expected, 5, Duration.ofSeconds(60));
            first.close(); // a graceful stop midway: what it finished is committed, the rest waits in Kafka
            t1.join(20_000);
            hook.server.stop(0); // the endpoint goes away
            for (int i = 13; i < 25; i++) send(p, camera, i, i % 4 == 3 ? "car" : "person", "entrance", expected);
        }
        try (Notifier second = new Notifier(settings)) {
            Thread t2 = new Thread(second, "notify-2");
            t2.start();
            Thread.sleep(3000); // connection refused meanwhile: retried, not lost
            hook.server = hook.start(hook.port);
            awaitDelivered(hook, expected, (int) expected.values().stream().filter(b -> b).count(), Duration.ofSeconds(120));
            awaitCommittedToTheEnd(kafka.bootstrap(), group, Duration.ofSeconds(30));
            assertTrue(first.retries() >= 3, "the first notifier retried the 500s and the stalls: " + first.retries());
            assertTrue(second.retries() >= 1, "the second retried while the endpoint was gone (connection refused): " + second.retries());
            assertEquals(1, first.deadLettered() + second.deadLettered(), "the refused event, dead-lettered once");
        } finally {
            hook.server.stop(0);
        }

        Set<String> want = new HashSet<>();
        expected.forEach((id, deliver) -> {
            if (deliver) want.add(id);
        });
        assertEquals(want, hook.bodiesById.keySet(), "exactly the matching events, every one of them");
        for (Map.Entry<String, List<String>> e : hook.bodiesById.entrySet()) {
            assertEquals(1, new HashSet<>(e.getValue()).size(), "a repeat of " + e.getKey() + " is the same event");
        }
        assertEquals(0, hook.badSignatures.get(), "every request carries the HMAC of its timestamp, event id and body");
        assertEquals(3, hook.failed500.get(), "the injected 500s happened");
        assertEquals(2, hook.stalled.get(), "the injected stalls happened");
        JsonNode dead = deadLetterOf(kafka.bootstrap(), refusedId, Duration.ofSeconds(30));
        assertTrue(dead.path("reason").asText().contains("HTTP 400") && dead.path("reason").asText().contains("not retried"), dead.toString());
        // the webhook's path is where Slack and Home Assistant keep their secret: not in the dead letter
        assertTrue(!dead.path("reason").asText().contains("/hook") && dead.path("reason").asText().contains("/***"), dead.toString());
        assertEquals(camera, dead.path("camera").asText());
    }

    private static Notifier.Settings settings(String bootstrap, String group, String camera, int port) {
        Properties client = new Properties();
        client.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new Notifier.Settings(bootstrap, client, List.of("analytics"), group,
                new EventFilter(Set.of(), Set.of(), Set.of("person"), Set.of(camera)),
                List.of(new Webhook(URI.create("http://127.0.0.1:" + port + "/hook"), SECRET, Duration.ofSeconds(1))),
                Notifier.Format.RAW, 10, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    private static String send(KafkaProducer<byte[], byte[]> p, String camera, int frame, String label, String rule, Map<String, Boolean> expected)
            throws Exception {
        String json = JSON.createObjectNode().put("schema", "vigil.analytics/1").put("camera", camera).put("frame", frame).put("ts", 1_700_000_000_000L + frame)
                .put("rule", rule).put("ruleName", rule).put("type", "zone-enter").put("track", frame).put("label", label).toString();
        // in a transaction of its own, as the job writes vigil.analytics: each commit marker takes an offset after the event
        p.beginTransaction();
        RecordMetadata m = p.send(new ProducerRecord<>(Topics.ANALYTICS, camera.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8))).get();
        p.commitTransaction();
        String id = m.topic() + ":" + m.partition() + ":" + m.offset();
        expected.put(id, label.equals("person"));
        return id;
    }

    private static void awaitDelivered(Endpoint hook, Map<String, Boolean> expected, int atLeast, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            long n = hook.bodiesById.keySet().stream().filter(id -> Boolean.TRUE.equals(expected.get(id))).count();
            if (n >= atLeast) return;
            Thread.sleep(200);
        }
        throw new AssertionError("delivered " + hook.bodiesById.keySet() + ", wanted at least " + atLeast + " of " + expected);
    }

    private static void awaitCommittedToTheEnd(String bootstrap, String group, Duration limit) throws Exception {
        Properties a = new Properties();
        a.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(a)) {
            long deadline = System.nanoTime() + limit.toNanos();
            Map<TopicPartition, Long> ends = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> q = new HashMap<>();
                for (TopicPartition tp : committed.keySet()) q.put(tp, OffsetSpec.latest());
                ends.clear();
                admin.listOffsets(q).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
                boolean all = !committed.isEmpty();
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) all &= e.getValue().offset() >= ends.get(e.getKey());
                if (all) return;
                Thread.sleep(300);
            }
            throw new AssertionError("the group's offsets " + committed + " did not reach the end " + ends);
        }
    }

    private static JsonNode deadLetterOf(String bootstrap, String id, Duration limit) throws Exception {
        String[] tpo = id.split(":");
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "notify-dl-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> k = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            k.subscribe(List.of(Topics.DEADLETTER));
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : k.poll(Duration.ofMillis(500))) {
                    JsonNode d = JSON.readTree(r.value());
                    if (d.path("topic").asText().equals(tpo[0]) && d.path("partition").asText().equals(tpo[1]) && d.path("offset").asText().equals(tpo[2])) {
                        return d;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for " + id);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "notify-it-" + UUID.randomUUID());
        KafkaProducer<byte[], byte[]> k = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        k.initTransactions();
        return k;
    }
}
