package io.vigil.lab.bench;

import io.vigil.deploy.cluster.FlinkConf;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.kafka.FrameCodec;
import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code vigil bench group}: gateways as deployed, each {@code vigil gateway} its own JVM, on an embedded broker in
 * this one. <b>Capacity</b>: one gateway streams N cameras (a looping video, decoded at its own rate, published at F
 * fps) and its process's CPU over a steady window gives cameras per core at each F, beside whether it kept up.
 * <b>Failover</b>: G gateways share the cameras; one is SIGKILLed, and each of its cameras' time from the kill to its
 * first frame committed by the new owner is recorded; the gateway is started again and the next kill waits until every
 * camera streams; over K kills, the distribution.
 */
public final class GatewayGroupBench {
    /** @param cameras per entry of {@code fps}, the capacity run's cameras (one value: the same for every rate) */
    public record Options(Path video, List<Integer> cameras, List<Double> fps, int seconds, int gateways, int failoverCameras, int kills, Path logs) {}

    private GatewayGroupBench() {}

    public static List<String> run(Options o) throws Exception {
        List<String> out = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, true)) {
            kafka.createVigilTopics(4);
            String bs = kafka.bootstrap();
            try (Frames frames = new Frames(bs)) {
                if (o.seconds() > 0) capacity(bs, frames, o, out);
                if (o.kills() > 0) out.addAll(failover(bs, frames, o));
            }
        }
        return out;
    }

    private static void capacity(String bs, Frames frames, Options o, List<String> out) throws Exception {
        double native_ = nativeFps(o.video());
        out.add(String.format(Locale.ROOT, "capacity: one gateway JVM, %s (%.0f fps; at a lower rate re-encoded as mpeg4) as the cameras' stream, %d s window after 20 s warm-up; gateway logs in %s",
                o.video().getFileName(), native_, o.seconds(), o.logs()));
        out.add("| camera streams at | publish fps | cameras | frames/s published (of offered) | gateway CPU (cores) | CPU ms a frame | cameras per core |");
        out.add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int i = 0; i < o.fps().size(); i++) {
            double f = o.fps().get(i);
            int n = o.cameras().get(Math.min(i, o.cameras().size() - 1));
            // a camera configured to stream at the rate published (a substream): its own video at that rate
            Path at = f < native_ ? atRate(o.video(), f, o.logs()) : o.video();
            out.add(capacity(bs, frames, o, at, f < native_ ? f : native_, f, n));
        }
        // the cost of a camera streaming faster than published: every picture is decoded, a few published
        double low = o.fps().stream().mapToDouble(Double::doubleValue).min().orElse(1);
        if (low < native_) out.add(capacity(bs, frames, o, o.video(), native_, low, o.cameras().get(o.cameras().size() - 1)));
    }

    private static String capacity(String bs, Frames frames, Options o, Path video, double sourceFps, double fps, int cameras) throws Exception {
        String tag = "cap" + (int) Math.round(fps * 10) + "-" + UUID.randomUUID().toString().substring(0, 4);
        List<String> cams = IntStream.range(0, cameras).mapToObj(i -> tag + "-" + i).toList();
        for (String c : cams) CameraRegistry.put(bs, CameraSpec.of(c, video.toString()).withFps(fps));
        Process gw = gateway(bs, "bench-" + tag, "cap", video.getParent(), o.logs().resolve(tag + ".log"));
        try {
            Thread.sleep(20_000);
            long cpu0 = cpuNanos(gw);
            long n0 = frames.count(cams);
            long t0 = System.nanoTime();
            Thread.sleep(o.seconds() * 1000L);
            long cpu = cpuNanos(gw) - cpu0;
            long n = frames.count(cams) - n0;
            double wall = (System.nanoTime() - t0) / 1e9;
            double cores = cpu / 1e9 / wall;
            return String.format(Locale.ROOT, "| %.0f fps | %.0f | %d | %.1f (%.0f %%) | %.3f | %.2f | %.0f |", sourceFps, fps, cameras, n / wall,
                    100.0 * n / wall / (cameras * fps), cores, cpu / 1e6 / Math.max(1, n), cameras / cores);
        } finally {
            stop(gw);
            for (String c : cams) CameraRegistry.remove(bs, c);
        }
    }

    private static List<String> failover(String bs, Frames frames, Options o) throws Exception {
        String tag = "fo-" + UUID.randomUUID().toString().substring(0, 4);
        String group = "bench-" + tag;
        List<String> cams = IntStream.range(0, o.failoverCameras()).mapToObj(i -> tag + "-" + i).toList();
        for (String c : cams) CameraRegistry.put(bs, CameraSpec.of(c, "testsrc:160x120@5").withFps(5.0));
        Map<String, Process> gws = new HashMap<>();
        List<Long> all = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try {
            for (int g = 0; g < o.gateways(); g++) gws.put("gw-" + g, gateway(bs, group, "gw-" + g, null, o.logs().resolve(tag + "-gw-" + g + ".log")));
            for (int k = 0; k < o.kills(); k++) {
                awaitAllStreaming(frames, cams, Duration.ofSeconds(120));
                String victim = "gw-" + (k % o.gateways());
                // the group settled: every member streams cameras (the last replacement has joined) and no camera
                // moved for 5 s (a rebalance in flight would move some of the victim's cameras cleanly)
                long joinBy = System.currentTimeMillis() + 120_000;
                while (!owners(bs, cams).keySet().containsAll(gws.keySet())) {
                    if (System.currentTimeMillis() > joinBy) throw new IllegalStateException("not every gateway owns cameras: " + owners(bs, cams).keySet());
                    Thread.sleep(500);
                }
                Map<String, Set<String>> owners = owners(bs, cams);
                for (Map<String, Set<String>> again = null; !owners.equals(again); ) {
                    again = owners;
                    Thread.sleep(5000);
                    owners = owners(bs, cams);
                }
                Set<String> owned = owners.getOrDefault(victim, Set.of());
                Map<String, Long> last = frames.lastSeqs(cams);
                long killed = System.currentTimeMillis();
                gws.get(victim).destroyForcibly();
                gws.get(victim).waitFor(10, TimeUnit.SECONDS);
                Map<String, Long> took = new HashMap<>();
                long deadline = killed + 60_000;
                while (took.size() < owned.size() && System.currentTimeMillis() < deadline) {
                    for (String c : owned) {
                        if (took.containsKey(c)) continue;
                        Long at = frames.firstAbove(c, last.getOrDefault(c, -1L) + 500, killed);
                        if (at != null) took.put(c, at - killed);
                    }
                    Thread.sleep(100);
                }
                List<Long> t = new ArrayList<>(took.values());
                Collections.sort(t);
                all.addAll(t);
                rows.add(String.format(Locale.ROOT, "| %d | %s | %d | %d | %s | %s |", k + 1, victim, owned.size(), owned.size() - took.size(),
                        t.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", t.get(0) / 1e3), t.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", t.get(t.size() - 1) / 1e3)));
                gws.put(victim, gateway(bs, group, victim, null, o.logs().resolve(tag + "-" + victim + "-" + (k + 1) + ".log"))); // a replacement, as an orchestrator would start
            }
        } finally {
            for (Process p : gws.values()) stop(p);
            for (String c : cams) CameraRegistry.remove(bs, c);
        }
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "failover: %d gateway JVMs (group session timeout 10 s), %d cameras (testsrc 160x120) at 5 fps; %d SIGKILLs, each followed by a replacement",
                o.gateways(), o.failoverCameras(), o.kills()));
        out.add("| kill | gateway | its cameras | not back in 60 s | first back (s) | last back (s) |");
        out.add("| ---: | --- | ---: | ---: | ---: | ---: |");
        out.addAll(rows);
        Collections.sort(all);
        if (!all.isEmpty()) {
            out.add(String.format(Locale.ROOT, "kill to first committed frame from the new owner, over %d camera moves: min %.1f s, p50 %.1f s, p90 %.1f s, max %.1f s",
                    all.size(), all.get(0) / 1e3, pct(all, 0.5) / 1e3, pct(all, 0.9) / 1e3, all.get(all.size() - 1) / 1e3));
        }
        return out;
    }

    private static final java.util.regex.Pattern OWNED = java.util.regex.Pattern.compile("^owned by gateway (\\S+) \\(slot");

    /** Who streams each camera: the last "owned by gateway X" on vigil.camera-status, by member. */
    private static Map<String, Set<String>> owners(String bs, List<String> cams) {
        Map<String, String> owner = new HashMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bs), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> tps = c.partitionsFor(Topics.CAMERA_STATUS).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) continue;
                    com.fasterxml.jackson.databind.JsonNode n = json.readTree(r.value());
                    java.util.regex.Matcher m = OWNED.matcher(n.path("reason").asText(""));
                    if (cams.contains(n.path("camera").asText()) && m.find()) owner.put(n.path("camera").asText(), m.group(1));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Set<String>> out = new HashMap<>();
        owner.forEach((cam, g) -> out.computeIfAbsent(g, k -> new java.util.TreeSet<>()).add(cam));
        return out;
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * (sorted.size() - 1) + 0.5)));
    }

    private static void awaitAllStreaming(Frames frames, List<String> cams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (frames.allSince(cams, System.currentTimeMillis() - 2000)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("not every camera streamed within " + timeout);
    }

    private static double nativeFps(Path video) {
        try (io.vigil.video.source.VideoSource v = io.vigil.video.source.VideoSource.open(io.vigil.video.source.SourceSpec.parse(video.toString()), 5_000_000)) {
            return v.frameRate();
        }
    }

    /** The video re-encoded at {@code fps} (mpeg4, same size): a camera whose stream is set to that rate. */
    private static Path atRate(Path video, double fps, Path dir) throws Exception {
        Path out = dir.resolve(video.getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-" + fps + "fps.avi");
        if (java.nio.file.Files.exists(out)) return out;
        String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-i", video.toString(), "-r", Double.toString(fps),
                "-c:v", "mpeg4", "-q:v", "5", "-y", out.toString()).redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("ffmpeg could not write " + out + ": " + msg);
        return out;
    }

    private static Process gateway(String bs, String group, String member, Path mediaDir, Path log) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(FlinkConf.JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.vigil.deploy.cli.VigilCli", "gateway", "--bootstrap", bs,
                "--group", group, "--member", member, "--http-port", "-1"));
        if (mediaDir != null) cmd.addAll(List.of("--media-dir", mediaDir.toAbsolutePath().toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long cpuNanos(Process p) {
        return p.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("this OS does not report a process's CPU time")).toNanos();
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    /** vigil.frames as the job reads it (read_committed), from now on: per camera its count, seqs and their arrival. */
    private static final class Frames implements AutoCloseable {
        private record Seen(long seq, long arrivedMs) {}

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        Frames(String bs) {
            consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bs, "group.id", "bench-" + UUID.randomUUID(), "auto.offset.reset", "latest",
                    "enable.auto.commit", "false", "isolation.level", "read_committed", "max.partition.fetch.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES)),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.FRAMES));
            long deadline = System.currentTimeMillis() + 20_000;
            while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) consumer.poll(Duration.ofMillis(100));
            thread = new Thread(() -> {
                try {
                    while (running) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            String cam = new String(r.key(), StandardCharsets.UTF_8);
                            List<Seen> l = seen.computeIfAbsent(cam, k -> Collections.synchronizedList(new ArrayList<>()));
                            l.add(new Seen(Long.parseLong(FrameCodec.peek(r.headers(), FrameHeaders.SEQ)), System.currentTimeMillis()));
                        }
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    // closing
                }
            }, "bench-frames");
            thread.start();
        }

        long count(List<String> cams) {
            long n = 0;
            for (String c : cams) n += seen.getOrDefault(c, List.of()).size();
            return n;
        }

        boolean allSince(List<String> cams, long ms) {
            for (String c : cams) {
                List<Seen> l = seen.get(c);
                if (l == null) return false;
                synchronized (l) {
                    if (l.isEmpty() || l.get(l.size() - 1).arrivedMs() < ms) return false;
                }
            }
            return true;
        }

        Map<String, Long> lastSeqs(List<String> cams) {
            Map<String, Long> out = new HashMap<>();
            for (String c : cams) {
                List<Seen> l = seen.get(c);
                if (l == null) continue;
                synchronized (l) {
                    if (!l.isEmpty()) out.put(c, l.get(l.size() - 1).seq());
                }
            }
            return out;
        }

        /** When the first frame of {@code camera} above {@code seq} arrived after {@code afterMs}; null if none yet. */
        Long firstAbove(String camera, long seq, long afterMs) {
            List<Seen> l = seen.get(camera);
            if (l == null) return null;
            synchronized (l) {
                for (Seen s : l) if (s.arrivedMs() > afterMs && s.seq() > seq) return s.arrivedMs();
            }
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(5000);
            consumer.close();
        }
    }
}
