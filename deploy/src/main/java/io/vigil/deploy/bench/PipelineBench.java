package io.vigil.deploy.bench;

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
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The embedded stack end to end (broker, gateway, the job on a MiniCluster) with N cameras replaying a video as fast
 * as possible or at 25 fps: frames/s, capture-to-event latency on Kafka, mean inference batch, CPU by stage; and in
 * the same run the detector alone on the same frames, so the pipeline's overhead is a ratio.
 */
public final class PipelineBench {
    private PipelineBench() {}

    public record Options(Path video, Path model, int[] cameras, List<String> modes, int seconds, int warmupSeconds) {}

    public static List<String> run(Options o) throws Exception {
        List<String> rows = new ArrayList<>();
        double[] alone = detectorAlone(o);
        System.out.printf(Locale.ROOT, "detector alone (same frames, same threads): %.1f frames/s, per-frame p99 %.1f ms%n", alone[0], alone[1]);
        rows.add("cameras,mode,frames_per_s,share_of_detector_alone,latency_p50_ms,latency_p95_ms,latency_p99_ms,mean_batch,cpu_gateway,"
                + "cpu_flink_tasks,cpu_kafka,cpu_native_onnx_gc,cpu_total,detector_alone_fps,detector_p99_ms");
        Properties quiet = new Properties();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, true)) {
            kafka.createVigilTopics(8);
            for (String mode : o.modes()) {
                for (int n : o.cameras()) rows.add(row(kafka.bootstrap(), o, n, mode, alone));
            }
        }
        return rows;
    }

    private static double[] detectorAlone(Options o) {
        List<BgrImage> frames = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(o.video().toString()), 5_000_000); JpegCodec jpeg = new JpegCodec()) {
            while (frames.size() < 120 && src.next()) frames.add(jpeg.decode(src.encodeJpeg(80, 0, 0).bytes()));
        }
        try (Detector d = Detector.open(ModelBundle.load(o.model()), DetectorOptions.defaults())) {
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

    private static String row(String bs, Options o, int cameras, String mode, double[] alone) throws Exception {
        String tag = "bench" + UUID.randomUUID().toString().substring(0, 6) + "-";
        boolean fast = mode.equals("fast");
        long prefillFrom = System.currentTimeMillis();
        if (fast) {
            // "as fast as possible": the frames are in Kafka before the job starts, so the gateway does not compete for the
            // CPU while the job is measured; enough for the whole measurement at up to 100 frames/s
            int perCamera = (int) Math.ceil(100.0 * (o.seconds() + o.warmupSeconds()) / cameras);
            try (CameraGateway pre = new CameraGateway(new KafkaFramePublisher(bs))) {
                for (int i = 0; i < cameras; i++) {
                    pre.start(CameraConfig.builder().id(tag + i).source(o.video().toString()).loop(true).paced(false).maxFrames(perCamera).build());
                }
                pre.awaitFinished(Duration.ofMinutes(5));
            }
        }
        JobConfig cfg = JobConfig.fromArgs("--bootstrap", bs, "--model", o.model().toAbsolutePath().toString(), "--group", tag + "job",
                "--start-from", fast ? "timestamp" : "latest", "--start-timestamp", Long.toString(prefillFrom), "--delivery", "at-least-once",
                "--checkpoint-interval", "5s", "--batch-size", "8", "--batch-timeout", "20ms", "--job-name", tag + "pipeline");
        Configuration flink = new Configuration();
        flink.setString("metrics.reporter.vigil.factory.class", CollectingReporter.Factory.class.getName());
        CollectingReporter.METRICS.clear();
        List<long[]> seen = new ArrayList<>(); // [receive ms, capture ms]
        try (LocalJob job = LocalJob.start(cfg, flink);
             KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bs, "group.id", tag + "reader",
                     "enable.auto.commit", "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.DETECTIONS).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToEnd(parts);
            for (TopicPartition tp : parts) c.position(tp);
            long deadline = System.currentTimeMillis() + 60_000;
            while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
            Thread.sleep(3000);
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
            while (System.currentTimeMillis() < end) {
                if (!cpuStarted && System.currentTimeMillis() >= measureFrom) {
                    cpu.begin();
                    cpuStarted = true;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    if (now >= measureFrom) seen.add(new long[] {now, r.timestamp()});
                }
            }
            Map<String, Double> shares = cpu.end(o.seconds());
            double batch = CollectingReporter.gauge("detect", "meanBatchSize");
            long[] lat = seen.stream().mapToLong(s -> s[0] - s[1]).sorted().toArray();
            double fps = seen.size() / (double) o.seconds();
            // with pre-filled frames the capture times are older than the run: latency only means something at 25 fps
            String line = String.format(Locale.ROOT, "%d,%s,%.1f,%.2f,%s,%s,%s,%.2f,%.0f,%.0f,%.0f,%.0f,%.0f,%.1f,%.1f", cameras, mode, fps,
                    fps / alone[0], fast ? "-" : pct(lat, 0.50), fast ? "-" : pct(lat, 0.95), fast ? "-" : pct(lat, 0.99), batch, shares.get("gateway"), shares.get("flink tasks"),
                    shares.get("kafka broker"), shares.get("native (ONNX Runtime workers) + GC/JIT") + shares.get("other JVM threads"),
                    shares.get("process total"), alone[0], alone[1]);
            System.out.println("  " + line);
            return line;
        }
    }

    private static String pct(long[] sorted, double p) {
        return sorted.length == 0 ? "-" : Long.toString(sorted[(int) Math.floor(p * (sorted.length - 1))]);
    }
}
