package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.LocalKafkaCluster;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.StatusSink;
import io.vigil.video.gateway.group.GatewayGroup;
import io.vigil.video.gateway.group.Slots;
import io.vigil.video.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Vigil on a replicated Kafka cluster: 3 KRaft nodes as separate JVMs ({@link LocalKafkaCluster}, what {@code vigil
 * kafka --brokers 3} starts), every topic on 3 replicas with {@code min.insync.replicas} 2, a gateway group of two
 * members and the job (exactly-once, the shipped gate) running. The node that leads the frames partitions of some
 * cameras is SIGKILLed and later started again on its data: no frame committed before the kill is lost, no (camera,
 * seq) gets two events, every committed frame gets its event (the transactional sinks commit on through the kill),
 * and the pause is measured: the longest stretch any camera went without a committed frame, and without an event.
 */
class KafkaClusterITCase {
    private static final int CAMERAS = 6;
    private static final int PARTITIONS = 4;

    @Test
    void theLeaderOfSomeCamerasFramesIsKilledAndComesBackWithNothingLostOrDoubled() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        Path dir = home.resolve("tests/target/kafka-cluster-" + System.currentTimeMillis());
        String tag = "kc" + System.nanoTime() % 1_000_000;
        List<String> cams = IntStream.range(0, CAMERAS).mapToObj(i -> tag + "-" + i).toList();
        try (LocalKafkaCluster cluster = new LocalKafkaCluster(dir, 3, 0, "384m").start(PARTITIONS, Duration.ofSeconds(120))) {
            String bs = cluster.bootstrap();
            Map<Integer, int[]> before = cluster.leaders(Topics.FRAMES);
            for (int[] l : before.values()) assertEquals(3, l[1], "every frames partition has 3 in-sync replicas: " + describe(before));
            for (String c : cams) CameraRegistry.put(bs, CameraSpec.of(c, "testsrc:160x120@5").withFps(5.0));
            long start = System.currentTimeMillis();
            JobConfig config = JobConfig.fromArgs("--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--group", "kc-" + start,
                    "--checkpoint-interval", "1s", "--start-from", "timestamp", "--start-timestamp", Long.toString(start));
            GatewayOptions opts = GatewayOptions.defaults();
            String group = "vigil-gateways-" + tag;
            Map<String, List<Long>> eventArrivals = new HashMap<>(); // camera -> when each of its events was read (ms)
            List<JsonNode> events = new ArrayList<>();
            Set<String> committedBeforeKill = new HashSet<>();
            long killedAt;
            int victim;
            try (LocalJob job = LocalJob.start(config);
                 FrameWatcher frames = new FrameWatcher(bs, true);
                 EventReader det = new EventReader(bs, Topics.DETECTIONS);
                 GatewayGroup a = new GatewayGroup(bs, new Properties(), group, tag + "-a", opts, StatusSink.NONE);
                 GatewayGroup b = new GatewayGroup(bs, new Properties(), group, tag + "-b", opts, StatusSink.NONE)) {
                read(det, cams, events, eventArrivals, () -> eventArrivals.keySet().containsAll(cams), Duration.ofSeconds(120));
                Thread.sleep(3000);

                // the node leading the partition of the first camera's frames
                int partition = Slots.of(cams.get(0), PARTITIONS); // a keyed record's partition, as the producer picks it
                victim = cluster.leaders(Topics.FRAMES).get(partition)[0];
                Map<Integer, int[]> leaders = cluster.leaders(Topics.FRAMES);
                List<String> led = cams.stream().filter(c -> leaders.get(Slots.of(c, PARTITIONS))[0] == victim).toList();
                synchronized (frames.seen) {
                    for (FrameWatcher.Seen s : frames.seen) if (cams.contains(s.camera())) committedBeforeKill.add(s.camera() + "/" + s.seq());
                }
                killedAt = System.currentTimeMillis();
                cluster.kill(victim);
                System.out.printf("node %d SIGKILLed: it led the frames of %s; %d frames committed before%n", victim, led, committedBeforeKill.size());

                // on two nodes: frames and events go on (min.insync.replicas 2 is still met)
                read(det, cams, events, eventArrivals, () -> cams.stream().allMatch(c -> count(eventArrivals.get(c), killedAt + 15_000) > 10), Duration.ofSeconds(120));
                Map<Integer, int[]> during = cluster.leaders(Topics.FRAMES);
                System.out.println("frames partitions while node " + victim + " is down: " + describe(during));
                for (int[] l : during.values()) assertTrue(l[0] > 0 && l[0] != victim, "every frames partition has a live leader: " + describe(during));

                long restartAt = System.currentTimeMillis();
                cluster.restart(victim, Duration.ofSeconds(120));
                long deadline = System.currentTimeMillis() + 120_000;
                while (cluster.leaders(Topics.FRAMES).values().stream().anyMatch(l -> l[1] < 3) && System.currentTimeMillis() < deadline) {
                    readFor(det, cams, events, eventArrivals, Duration.ofSeconds(1));
                }
                System.out.printf("node %d back: in sync again %.1f s after its restart: %s%n", victim, (System.currentTimeMillis() - restartAt) / 1e3, describe(cluster.leaders(Topics.FRAMES)));
                for (int[] l : cluster.leaders(Topics.FRAMES).values()) assertEquals(3, l[1], "3 in-sync replicas again");
                long backAt = System.currentTimeMillis();
                read(det, cams, events, eventArrivals, () -> cams.stream().allMatch(c -> count(eventArrivals.get(c), backAt) > 10), Duration.ofSeconds(120));

                for (String c : cams) CameraRegistry.remove(bs, c);
                Thread.sleep(2000);
                a.flushAll();
                b.flushAll();

                Map<String, Long> framePause = new TreeMap<>();
                for (String c : cams) framePause.put(c, longestGap(frames.of(c).stream().map(FrameWatcher.Seen::arrivedMs).toList(), killedAt - 1000));
                System.out.println("longest stretch without a committed frame from 1 s before the kill on, per camera (ms): " + framePause);

                Map<String, List<Long>> committed = GatewayGroupITCase.framesOf(bs, cams);
                long total = committed.values().stream().mapToLong(List::size).sum();
                read(det, cams, events, eventArrivals, () -> events.size() >= total, Duration.ofSeconds(120));
                readFor(det, cams, events, eventArrivals, Duration.ofSeconds(3));
                job.checkAlive();

                Set<String> all = new HashSet<>();
                for (Map.Entry<String, List<Long>> e : committed.entrySet()) {
                    List<Long> s = e.getValue();
                    for (int i = 0; i < s.size(); i++) {
                        assertTrue(all.add(e.getKey() + "/" + s.get(i)), e.getKey() + ": seq " + s.get(i) + " twice on vigil.frames");
                        if (i > 0) assertTrue(s.get(i) > s.get(i - 1), e.getKey() + ": seq " + s.get(i) + " after " + s.get(i - 1));
                    }
                }
                Set<String> lost = new HashSet<>(committedBeforeKill);
                lost.removeAll(all);
                assertTrue(lost.isEmpty(), "frames committed before the kill and gone after it: " + lost);

                Set<String> seen = new HashSet<>();
                for (JsonNode e : events) {
                    String key = e.path("camera").asText() + "/" + e.path("frame").asLong();
                    assertTrue(seen.add(key), key + ": a second event");
                    assertTrue(all.contains(key), key + ": an event for a frame never committed");
                }
                assertEquals(total, events.size(), "one event per committed frame");
                Map<String, Long> eventPause = new TreeMap<>();
                for (String c : cams) eventPause.put(c, longestGap(eventArrivals.get(c), killedAt - 1000));
                System.out.println("longest stretch without an event from 1 s before the kill on, per camera (ms): " + eventPause);
            }
        }
    }

    private static void read(EventReader det, List<String> cams, List<JsonNode> events, Map<String, List<Long>> arrivals,
                             java.util.function.BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            for (JsonNode e : det.collect(n -> cams.contains(n.path("camera").asText()), got -> false, Duration.ofMillis(500))) {
                events.add(e);
                arrivals.computeIfAbsent(e.path("camera").asText(), k -> new ArrayList<>()).add(System.currentTimeMillis());
            }
        }
        if (!done.getAsBoolean()) throw new AssertionError("not within " + timeout + ": events per camera " + counts(arrivals));
    }

    /** Reads what comes for {@code timeout}, nothing awaited. */
    private static void readFor(EventReader det, List<String> cams, List<JsonNode> events, Map<String, List<Long>> arrivals, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        read(det, cams, events, arrivals, () -> System.nanoTime() >= until, timeout.plusSeconds(1));
    }

    private static Map<String, Integer> counts(Map<String, List<Long>> arrivals) {
        Map<String, Integer> out = new TreeMap<>();
        arrivals.forEach((c, l) -> out.put(c, l.size()));
        return out;
    }

    private static long count(List<Long> times, long fromMs) {
        return times == null ? 0 : times.stream().filter(t -> t >= fromMs).count();
    }

    private static long longestGap(List<Long> times, long fromMs) {
        long gap = 0;
        long prev = fromMs;
        for (long t : times) {
            if (t < fromMs) continue;
            gap = Math.max(gap, t - prev);
            prev = t;
        }
        return gap;
    }

    private static String describe(Map<Integer, int[]> leaders) {
        StringBuilder b = new StringBuilder();
        leaders.forEach((p, l) -> b.append(b.length() == 0 ? "" : ", ").append("p").append(p).append(": leader ").append(l[0]).append(", isr ").append(l[1]));
        return b.toString();
    }
}
