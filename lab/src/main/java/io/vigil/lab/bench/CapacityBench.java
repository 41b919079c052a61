package io.vigil.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.source.SampleMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code vigil bench capacity --live}: for each mode, cameras replaying vtest.avi at 10 fps through the gateway into the
 * job (embedded broker, MiniCluster, the default frame-age limit of 1 s), more each round; a round is sustained when the
 * p99 frame age at the job's output (an event leaving it, read_uncommitted, minus its frame's capture time) is at most
 * 1 s and at most 1 % of the frames were skipped as overload, i.e. the mode ran as configured. Everything shares this
 * machine's cores: the gateway's decoding and encoding too.
 */
public final class CapacityBench {
    private CapacityBench() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int FPS = 10;
    static final int WARM_UP_S = 30;

    public record Round(String mode, int cameras, long p50, long p99, double detectorShare, double overloadShare, double delivered, boolean sustained) {}

    public static List<Round> run(Path model, List<GateAccuracy.Mode> modes, List<Integer> cameras, int seconds, String clip, List<String> jobArgs)
        throws Exception {
        List<Round> out = new ArrayList<>();
        Path dir = Files.createTempDirectory("vigil-capacity");
        String source = source(clip, dir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, true)) {
            kafka.createVigilTopics(4);
            System.out.printf(Locale.ROOT, "%nlive: cameras x %d fps of %s, %d s per round (first %d s not measured)%n", FPS, clip, seconds, WARM_UP_S);
            // a fresh JVM spends about half a core on JIT compilation for its first minute (measured with jstack's per-thread
            // CPU: C2 took 20 s of CPU in the first 39 s); a deployment runs warm, so one unreported round warms this JVM up
            Round w = round(kafka.bootstrap(), model, modes.get(0), cameras.get(0), 30, source, jobArgs);
            System.out.printf(Locale.ROOT, "(warm-up round, not reported: %s, %d cameras, p99 %d ms)%n", w.mode(), w.cameras(), w.p99());
            System.out.printf(Locale.ROOT, "%-18s %8s %8s %8s %9s %9s %9s %10s%n", "mode", "cameras", "p50 ms", "p99 ms", "detector", "overload", "frames", "sustained");
            for (GateAccuracy.Mode m : modes) {
                int best = 0;
                for (int n : cameras) {
                    Round r = round(kafka.bootstrap(), model, m, n, seconds, source, jobArgs);
                    out.add(r);
                    System.out.printf(Locale.ROOT, "%-18s %8d %8d %8d %8.0f%% %8.1f%% %8.0f%% %10s%n", m.name(), n, r.p50(), r.p99(),
                            100 * r.detectorShare(), 100 * r.overloadShare(), 100 * r.delivered(), r.sustained() ? "yes" : "no");
                    if (!r.sustained()) break;
                    best = n;
                }
                System.out.printf(Locale.ROOT, "%-18s sustained: %d cameras x %d fps%n", m.name(), best, FPS);
                if (m.adaptive() && best > 0 && clip.equals("vtest")) {
                    // what the share it settled at costs: the same gate at that share, offline, against every-frame detection
                    double share = 0;
                    for (Round r : out) if (r.mode().equals(m.name()) && r.cameras() == best) share = r.detectorShare();
                    String at = String.format(Locale.ROOT, "adaptive@%.2f", share);
                    for (GateAccuracy.Row a : GateAccuracy.run(model, "vtest", BenchClips.get("vtest", 800), List.of(GateAccuracy.Mode.parse(at)))) {
                        System.out.printf(Locale.ROOT, "%-18s at %d cameras: detector on %.0f%% of the frames, recall %.3f, precision %.3f, ID sw/100 tf %.2f%n",
                                m.name(), best, 100 * a.detectorShare(), a.recall(), a.precision(), a.idSwitchesPer100());
                    }
                }
            }
        }
        return out;
    }

    /** The video the gateway replays: vtest.avi, or a clip of BenchClips written as an MP4 (H.264) for the gateway to read. */
    static String source(String clip, Path dir) throws Exception {
        if (clip.equals("vtest")) return SampleMedia.require(SampleMedia.VTEST).toString();
        List<byte[]> jpegs = BenchClips.get(clip, 800);
        List<io.vigil.video.kafka.FrameRecord> frames = new ArrayList<>();
        try (io.vigil.video.image.JpegCodec jpeg = new io.vigil.video.image.JpegCodec()) {
            io.vigil.video.image.BgrImage first = jpeg.decode(jpegs.get(0));
            for (int i = 0; i < jpegs.size(); i++) {
                frames.add(new io.vigil.video.kafka.FrameRecord(clip, i, i * 100_000L, first.width(), first.height(), "jpeg", jpegs.get(i)));
            }
        }
        Path mp4 = dir.resolve(clip + ".mp4");
        io.vigil.deploy.evidence.ClipWriter.write(frames, Map.of(), List.of(), false, mp4);
        return mp4.toString();
    }

    static Round round(String bs, Path model, GateAccuracy.Mode m, int cameras, int seconds, String source, List<String> jobArgs) throws Exception {
        String tag = "cap" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<String> args = new ArrayList<>(List.of("--bootstrap", bs, "--model", model.toAbsolutePath().toString(), "--group", tag + "job",
                "--start-from", "latest", "--checkpoint-interval", "1s", "--detect-every", Integer.toString(m.every()),
                "--motion", Boolean.toString(m.motion()), "--max-frame-age", "1s", "--job-name", tag + "capacity"));
        for (String a : jobArgs) if (!a.isBlank()) args.add(a);
        JobConfig cfg = JobConfig.fromArgs(args.toArray(String[]::new));
        List<Long> ages = new ArrayList<>();
        Map<String, Integer> inference = new HashMap<>();
        try (LocalJob job = LocalJob.start(cfg);
             KafkaConsumer<byte[], byte[]> c = BenchJobs.consumer(bs, tag + "leave", "read_uncommitted");
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
            BenchJobs.fromEnd(c);
            BenchJobs.awaitRunning(job);
            // cameras on a composed clip start spread over its 20 s period, so they do not all see the same person at the
            // same instant (real cameras do not move in step); vtest.avi is busy all the time, its cameras start together
            long stagger = source.endsWith(".mp4") ? 20_000L / cameras : 0;
            for (int i = 0; i < cameras; i++) {
                if (i > 0 && stagger > 0) Thread.sleep(stagger);
                gw.start(CameraConfig.builder().id(tag + i).source(source).loop(true).paced(true).paceFps(FPS).build());
            }
            long from = System.currentTimeMillis() + WARM_UP_S * 1000L;
            long end = from + seconds * 1000L;
            while (System.currentTimeMillis() < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    if (now < from) continue;
                    ages.add(now - r.timestamp());
                    JsonNode n = JSON.readTree(r.value());
                    inference.merge(n.path("inference").asText("full"), 1, Integer::sum);
                }
            }
            job.checkAlive();
        }
        long[] a = ages.stream().mapToLong(Long::longValue).sorted().toArray();
        int total = inference.values().stream().mapToInt(Integer::intValue).sum();
        if (a.length == 0 || total == 0) return new Round(m.name(), cameras, -1, -1, 0, 0, 0, false);
        long p50 = a[a.length / 2], p99 = a[(int) Math.floor(0.99 * (a.length - 1))];
        double det = inference.getOrDefault("full", 0) / (double) total;
        double over = inference.getOrDefault("overload", 0) / (double) total;
        // every camera's frames must arrive too: a gateway that cannot keep up is not a sustained round either
        double delivered = total / (double) (cameras * FPS * seconds);
        // adaptive: the budget lowering the share is the mode working (its accuracy is then the share's, scored offline);
        // a fixed interval must run as configured
        boolean asConfigured = m.adaptive() || over <= 0.01;
        return new Round(m.name(), cameras, p50, p99, det, over, delivered, p99 <= 1000 && asConfigured && delivered >= 0.9);
    }
}
