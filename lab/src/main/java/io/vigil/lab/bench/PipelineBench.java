package io.vigil.lab.bench;

import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The embedded stack end to end (broker, gateway, the job on a MiniCluster) with N cameras replaying a video as fast
 * as possible or at 25 fps, with at-least-once and with exactly-once sinks: frames/s, capture-to-event latency, mean
 * inference batch, CPU by stage. Two latencies per event: when it left the job (first seen by a
 * {@code read_uncommitted} consumer) and when it became visible to a {@code read_committed} consumer (with
 * exactly-once, at the checkpoint that commits its transaction). The detector alone on the same frames is measured
 * before the first row and after every row, and each row's share is against the mean of the detector runs on either
 * side of it, so drift of the machine between rows does not read as pipeline overhead. The whole sequence repeats
 * {@code runs} times; the summary gives the median and the range over the runs.
 */
public final class PipelineBench {
    private PipelineBench() {}

    /** @param rules analytics rules per camera for each row (0 = none; half lines, half zones, plus a calibration) */
    public record Options(Path video, Path model, int[] cameras, List<String> modes, List<String> deliveries, int seconds, int warmupSeconds,
                          int runs, String checkpointInterval, int[] rules, List<String> jobArgs) {}

    /** One row of one run. */
    record Row(int run, String delivery, String mode, int cameras, int rules, double fps, double share, long[] leave, long[] visible, double batch,
               Map<String, Double> cpu, double detectorFps, double detectorP99, double analyticsUs, double peerFps) {
        String key() {
            return delivery + "," + mode + "," + cameras + "," + rules;
        }
    }

    static final String RUN_HEADER = "run,delivery,mode,cameras,rules,frames_per_s,share_of_detector_alone,leave_p50_ms,leave_p99_ms,visible_p50_ms,"
            + "visible_p99_ms,mean_batch,cpu_gateway,cpu_flink_tasks,cpu_kafka,cpu_native_onnx_gc,cpu_total,detector_alone_fps,detector_p99_ms,analytics_us_per_frame,"
            + "peer_loop_fps,share_of_peer_loop";
    static final String SUMMARY_HEADER = "delivery,mode,cameras,rules,runs,frames_per_s_median,share_median,share_min,share_max,leave_p99_median_ms,"
            + "leave_p99_min_ms,leave_p99_max_ms,visible_p50_median_ms,visible_p99_median_ms,visible_p99_min_ms,visible_p99_max_ms,detector_fps_median,"
            + "analytics_us_per_frame_median,peer_loop_fps_median,share_of_peer_loop_median";

    /** Returns the per-run rows, then a blank line, then the summary rows. */
    public static List<String> run(Options o) throws Exception {
        List<BgrImage> frames = frames(o.video());
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, true)) {
            kafka.createVigilTopics(8);
            for (int run = 1; run <= o.runs(); run++) {
                double[] before = detectorAlone(o.model(), frames);
                System.out.printf(Locale.ROOT, "run %d: detector alone %.1f frames/s, p99 %.1f ms%n", run, before[0], before[1]);
                // the floor in the same run: one plain decode + detect loop per core, no Kafka, no Flink
                PeerLoop.Result peer = PeerLoop.run(o.video(), o.model(), Runtime.getRuntime().availableProcessors(), 15);
                System.out.println("run " + run + ": " + peer.line());
                for (String delivery : o.deliveries()) {
                    for (String mode : o.modes()) {
                        for (int n : o.cameras()) {
                            for (int rules : o.rules()) {
                                Measured m = row(kafka.bootstrap(), o, n, mode, delivery, rules);
                                double[] after = detectorAlone(o.model(), frames);
                                double alone = (before[0] + after[0]) / 2;
                                Row r = new Row(run, delivery, mode, n, rules, m.fps, m.fps / alone, m.leave, m.visible, m.batch, m.cpu, alone,
                                        Math.max(before[1], after[1]), m.analyticsUs, peer.fps());
                                System.out.println("  " + format(r));
                                rows.add(r);
                                before = after;
                            }
                        }
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(RUN_HEADER);
        for (Row r : rows) out.add(format(r));
        out.add("");
        out.add(SUMMARY_HEADER);
        out.addAll(summary(rows));
        return out;
    }

    static List<String> summary(List<Row> rows) {
        Map<String, List<Row>> byKey = new LinkedHashMap<>();
        for (Row r : rows) byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : byKey.entrySet()) {
            List<Row> rs = e.getValue();
            boolean live = !rs.get(0).mode().equals("fast");
            double[] fps = rs.stream().mapToDouble(Row::fps).sorted().toArray();
            double[] share = rs.stream().mapToDouble(Row::share).sorted().toArray();
            double[] det = rs.stream().mapToDouble(Row::detectorFps).sorted().toArray();
            double[] leave99 = rs.stream().mapToDouble(r -> pct(r.leave(), 0.99)).sorted().toArray();
            double[] vis50 = rs.stream().mapToDouble(r -> pct(r.visible(), 0.50)).sorted().toArray();
            double[] vis99 = rs.stream().mapToDouble(r -> pct(r.visible(), 0.99)).sorted().toArray();
            double[] an = rs.stream().mapToDouble(Row::analyticsUs).sorted().toArray();
            double[] peer = rs.stream().mapToDouble(Row::peerFps).sorted().toArray();
            double[] ofPeer = rs.stream().mapToDouble(r -> r.fps() / r.peerFps()).sorted().toArray();
            out.add(String.format(Locale.ROOT, "%s,%d,%.1f,%.2f,%.2f,%.2f,%s,%s,%s,%s,%s,%s,%s,%.1f,%s,%.1f,%.2f", e.getKey(), rs.size(), median(fps), median(share),
                    share[0], share[share.length - 1], ms(live, median(leave99)), ms(live, leave99[0]), ms(live, leave99[leave99.length - 1]),
                    ms(live, median(vis50)), ms(live, median(vis99)), ms(live, vis99[0]), ms(live, vis99[vis99.length - 1]), median(det), us(median(an)),
                    median(peer), median(ofPeer)));
        }
        return out;
    }

    private static String format(Row r) {
        boolean live = !r.mode().equals("fast"); // pre-filled frames are older than the run: latency only means something live
        Map<String, Double> c = r.cpu();
        return String.format(Locale.ROOT, "%d,%s,%s,%d,%d,%.1f,%.2f,%s,%s,%s,%s,%.2f,%.0f,%.0f,%.0f,%.0f,%.0f,%.1f,%.1f,%s,%.1f,%.2f", r.run(), r.delivery(), r.mode(),
                r.cameras(), r.rules(), r.fps(), r.share(), ms(live, pct(r.leave(), 0.5)), ms(live, pct(r.leave(), 0.99)), ms(live, pct(r.visible(), 0.5)),
                ms(live, pct(r.visible(), 0.99)), r.batch(), c.get("gateway"), c.get("flink tasks"), c.get("kafka broker"),
                c.get("native (ONNX Runtime workers) + GC/JIT") + c.get("other JVM threads"), c.get("process total"), r.detectorFps(), r.detectorP99(),
                us(r.analyticsUs()), r.peerFps(), r.fps() / r.peerFps());
    }

    private static String us(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(boolean live, double v) {
        return !live || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(p * (sorted.length - 1))];
    }

    private static List<BgrImage> frames(Path video) {
        List<BgrImage> frames = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(video.toString()), 5_000_000); JpegCodec jpeg = new JpegCodec()) {
            while (frames.size() < 120 && src.next()) frames.add(jpeg.decode(src.encodeJpeg(80, 0, 0).bytes()));
        }
        return frames;
    }

    /** [frames/s, per-frame p99 ms] of the detector alone on the same frames with the same options as the job. */
    private static double[] detectorAlone(Path model, List<BgrImage> frames) {
        try (Detector d = Detector.open(ModelBundle.load(model), DetectorOptions.defaults())) {
            for (int i = 0; i < 20; i++) d.detect(frames.get(i).pixels(), frames.get(i).width(), frames.get(i).height());
            double[] ms = new double[frames.size()];
            long t0 = System.nanoTime();
            for (int i = 0; i < frames.size(); i++) {
                long s = System.nanoTime();
                BgrImage f = frames.get(i);
                d.detect(f.pixels(), f.width(), f.height());
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            double fps = frames.size() / ((System.nanoTime() - t0) / 1e9);
            Arrays.sort(ms);
            return new double[] {fps, ms[(int) Math.floor(0.99 * (ms.length - 1))]};
        }
    }

    private static final double PREFILL_FPS = 300;

    private record Measured(double fps, long[] leave, long[] visible, double batch, Map<String, Double> cpu, double analyticsUs) {}

    private static Measured row(String bs, Options o, int cameras, String mode, String delivery, int rules) throws Exception {
        String tag = "bench" + UUID.randomUUID().toString().substring(0, 6) + "-";
        for (int i = 0; i < cameras && rules > 0; i++) {
            for (io.vigil.events.rules.Rule r : AnalyticsBench.rules(rules, tag + i)) {
                io.vigil.events.rules.RuleRegistry.put(bs, null, io.vigil.events.rules.RuleJson.write(r));
            }
        }
        boolean fast = mode.equals("fast");
        long prefillFrom = System.currentTimeMillis();
        if (fast) {
            // "as fast as possible": the frames are in Kafka before the job starts, so the gateway does not compete for the
            // CPU while the job is measured; enough for the whole measurement at up to 300 frames/s (at 200 it ran out on
            // a machine where the job did 215: a row whose backlog runs out says so)
            int perCamera = (int) Math.ceil(PREFILL_FPS * (o.seconds() + o.warmupSeconds()) / cameras);
            try (CameraGateway pre = new CameraGateway(new KafkaFramePublisher(bs))) {
                for (int i = 0; i < cameras; i++) {
                    pre.start(CameraConfig.builder().id(tag + i).source(o.video().toString()).loop(true).paced(false).maxFrames(perCamera).build());
                }
                pre.awaitFinished(Duration.ofMinutes(5));
            }
        }
        JobConfig cfg = JobConfig.fromArgs("--bootstrap", bs, "--model", o.model().toAbsolutePath().toString(), "--group", tag + "job",
                "--start-from", fast ? "timestamp" : "latest", "--start-timestamp", Long.toString(prefillFrom), "--delivery", delivery,
                "--checkpoint-interval", o.checkpointInterval(), "--batch-size", "8", "--batch-timeout", "20ms", "--job-name", tag + "pipeline",
                // every frame detected, however late: this benchmark measures the detector's throughput and the queue, as
                // before the gate existed (vigil bench capacity measures the gate)
                "--max-frame-age", "0");
        if (!o.jobArgs().isEmpty()) {
            List<String> args = new ArrayList<>(List.of("--bootstrap", bs, "--model", o.model().toAbsolutePath().toString(), "--group", tag + "job",
                    "--start-from", fast ? "timestamp" : "latest", "--start-timestamp", Long.toString(prefillFrom), "--delivery", delivery,
                    "--checkpoint-interval", o.checkpointInterval(), "--batch-size", "8", "--batch-timeout", "20ms", "--job-name", tag + "pipeline",
                    "--max-frame-age", "0"));
            args.addAll(o.jobArgs());
            cfg = JobConfig.fromArgs(args.toArray(String[]::new));
        }
        Configuration flink = new Configuration();
        flink.setString("metrics.reporter.vigil.factory.class", CollectingReporter.Factory.class.getName());
        CollectingReporter.METRICS.clear();
        List<Long> leave = new ArrayList<>();
        List<Long> visible = new ArrayList<>();
        try (LocalJob job = LocalJob.start(cfg, flink);
             // fast mode counts events and measures no latency: its readers fetch in large batches, so that the
             // benchmark's own polling (a fetch every 10 ms each) does not take the pipeline's CPU
             KafkaConsumer<byte[], byte[]> uncommitted = BenchJobs.consumer(bs, tag + "leave", "read_uncommitted", fast);
             KafkaConsumer<byte[], byte[]> committed = BenchJobs.consumer(bs, tag + "visible", "read_committed", fast);
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
            BenchJobs.fromEnd(uncommitted);
            BenchJobs.fromEnd(committed);
            BenchJobs.awaitRunning(job);
            if (!fast) {
                for (int i = 0; i < cameras; i++) {
                    gw.start(CameraConfig.builder().id(tag + i).source(o.video().toString()).loop(true).paced(true).paceFps(25).build());
                }
            }
            CpuShares cpu = new CpuShares();
            long start = System.currentTimeMillis();
            long measureFrom = start + o.warmupSeconds() * 1000L;
            long end = start + (o.warmupSeconds() + o.seconds()) * 1000L;
            boolean cpuStarted = false;
            long[] lastEventMs = {start};
            Stages stages = new Stages();
            while (System.currentTimeMillis() < end) {
                if (!cpuStarted && System.currentTimeMillis() >= measureFrom) {
                    cpu.begin();
                    stages.begin();
                    cpuStarted = true;
                }
                // short polls, turn about: a record waits at most ~10 ms for the other consumer's poll
                if (collect(uncommitted, fast ? 200 : 10, measureFrom, leave)) lastEventMs[0] = System.currentTimeMillis();
                collect(committed, fast ? 200 : 10, measureFrom, visible);
            }
            Map<String, Double> shares = cpu.end(o.seconds());
            if (fast && lastEventMs[0] < end - 2000) {
                System.out.printf(Locale.ROOT, "    the prefilled frames ran out %.1f s before the end: frames/s is a lower bound%n", (end - lastEventMs[0]) / 1e3);
            }
            System.out.println("    " + stages.end(shares, o.seconds()));
            double batch = CollectingReporter.gauge("detect", "meanBatchSize");
            // throughput from the events leaving the job: committed ones arrive in bursts, one per checkpoint, too coarse for a
            // 20 s window; over a long run the two counts are the same
            double fps = leave.size() / (double) o.seconds();
            double analyticsUs = CollectingReporter.histogramMean("analytics", "analyticsNanosPerFrame") / 1000;
            return new Measured(fps, sorted(leave), sorted(visible), batch, shares, analyticsUs);
        }
    }

    /**
     * CPU ms per frame by stage over the measured seconds: the job's per-stage counters ({@code cpuNanos*}: thread CPU
     * time each stage spends on its frames; the detector run's wall time split as the detector reports it), the
     * gateway and the broker from the thread groups' CPU, and the bytes allocated per frame by every thread of this JVM.
     */
    static final class Stages {
        private Map<String, Long> cpu0, wall0;
        private long frames0;
        private final Map<Long, Long> alloc0 = new java.util.HashMap<>();
        private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        private final OsThreads os = new OsThreads();

        void begin() {
            os.begin();
            cpu0 = CollectingReporter.counters("cpuNanos");
            wall0 = CollectingReporter.counters("wallNanos");
            frames0 = CollectingReporter.counters("framesOut").values().stream().mapToLong(Long::longValue).sum();
            long[] ids = threads.getAllThreadIds();
            long[] bytes = threads.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) alloc0.put(ids[i], bytes[i]);
        }

        String end(Map<String, Double> shares, int seconds) {
            long frames = CollectingReporter.counters("framesOut").values().stream().mapToLong(Long::longValue).sum() - frames0;
            long[] ids = threads.getAllThreadIds();
            long[] bytes = threads.getThreadAllocatedBytes(ids);
            java.lang.management.ThreadInfo[] infos = threads.getThreadInfo(ids);
            long alloc = 0;
            Map<String, Long> allocByStage = new java.util.TreeMap<>();
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] < 0) continue;
                long d = bytes[i] - alloc0.getOrDefault(ids[i], 0L);
                alloc += d;
                allocByStage.merge(infos[i] == null ? "other JVM threads" : CpuShares.stage(infos[i].getThreadName()), d, Long::sum);
            }
            if (frames <= 0) return "stages: no frames measured";
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "CPU ms per frame by stage (%d frames):", frames));
            double job = 0;
            for (Map.Entry<String, Long> e : CollectingReporter.counters("cpuNanos").entrySet()) {
                double ms = (e.getValue() - cpu0.getOrDefault(e.getKey(), 0L)) / 1e6 / frames;
                job += ms;
                sb.append(String.format(Locale.ROOT, " %s %.2f", e.getKey().substring("cpuNanos".length()), ms));
            }
            sb.append(" | detector run (wall):");
            for (Map.Entry<String, Long> e : CollectingReporter.counters("wallNanos").entrySet()) {
                sb.append(String.format(Locale.ROOT, " %s %.2f", e.getKey().substring("wallNanos".length()), (e.getValue() - wall0.getOrDefault(e.getKey(), 0L)) / 1e6 / frames));
            }
            // the thread groups' CPU (% of a core over the seconds) as ms per frame
            double perFrame = seconds * 10.0 / frames; // 1 % of a core for `seconds` s = seconds * 10 ms
            sb.append(String.format(Locale.ROOT, " | gateway %.2f, kafka broker %.2f, flink task threads %.2f (the stages above %.2f), native + GC/JIT %.2f, process %.2f",
                    shares.get("gateway") * perFrame, shares.get("kafka broker") * perFrame, shares.get("flink tasks") * perFrame, job,
                    (shares.get("native (ONNX Runtime workers) + GC/JIT") + shares.get("other JVM threads")) * perFrame, shares.get("process total") * perFrame));
            sb.append(String.format(Locale.ROOT, " | allocated %.0f KB per frame (", alloc / 1024.0 / frames));
            allocByStage.forEach((stage, b) -> sb.append(String.format(Locale.ROOT, "%s %.0f, ", stage, b / 1024.0 / frames)));
            sb.setLength(sb.length() - 2);
            sb.append(')');
            sb.append("\n    CPU ms per frame by OS thread name:");
            int shown = 0;
            for (Map.Entry<String, Double> e : os.end(frames).entrySet()) {
                if (shown++ < 16 || e.getKey().startsWith("(")) sb.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue()));
            }
            return sb.toString();
        }
    }

    /** Adds (receive time - capture time) of each record received at or after {@code from}. */
    /** @return whether any record came */
    private static boolean collect(KafkaConsumer<byte[], byte[]> c, long pollMs, long from, List<Long> latencies) {
        boolean any = false;
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(pollMs))) {
            long now = System.currentTimeMillis();
            if (now >= from) latencies.add(now - r.timestamp());
            any = true;
        }
        return any;
    }

    private static long[] sorted(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
