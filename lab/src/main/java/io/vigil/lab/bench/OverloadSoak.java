package io.vigil.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
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
 * {@code vigil bench capacity --overload-soak SECONDS}: cameras offering several times what the detector can take, with
 * the default frame-age limit, for minutes. Every 30 s: the p99 frame age at the job's output, the job's lag (frames
 * the gateway published that have no event yet) and each camera's detections against an equal share. The run passes
 * when the p99 age stayed under 2 s in every period, every camera got at least 80 % of an equal share of the
 * detections, and the lag of the last minute is not above the first minute's by more than one second of frames.
 */
public final class OverloadSoak {
    private OverloadSoak() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PERIOD_S = 30;

    public record Period(int endSecond, long p99Ms, long lagFrames, long published, long events, int minCameraRuns, double meanCameraRuns) {}

    public record Result(List<Period> periods, long maxP99Ms, double minFairShare, double lagFirstMinute, double lagLastMinute, boolean passed) {}

    public static Result run(Path model, int cameras, int fps, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("vigil-soak-overload");
        String tag = "ovs" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<Period> periods = new ArrayList<>();
        Map<String, Integer> runs = new HashMap<>();
        List<long[]> lagSamples = new ArrayList<>(); // [second, lag]
        long totalOut = 0;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, true)) {
            kafka.createVigilTopics(4);
            String bs = kafka.bootstrap();
            JobConfig cfg = JobConfig.fromArgs("--bootstrap", bs, "--model", model.toAbsolutePath().toString(), "--group", tag + "job",
                    "--start-from", "latest", "--checkpoint-interval", "1s", "--max-frame-age", "1s", "--job-name", tag + "soak");
            try (LocalJob job = LocalJob.start(cfg);
                 KafkaConsumer<byte[], byte[]> c = BenchJobs.consumer(bs, tag + "leave", "read_uncommitted");
                 CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
                BenchJobs.fromEnd(c);
                BenchJobs.awaitRunning(job);
                BenchJobs.startVtestCameras(gw, tag, cameras, fps);
                System.out.printf(Locale.ROOT, "%d cameras x %d fps of vtest.avi for %d s, frame-age limit 1 s%n", cameras, fps, seconds);
                System.out.printf(Locale.ROOT, "%8s %8s %11s %10s %9s %22s%n", "second", "p99 ms", "lag frames", "published", "events", "camera runs min/mean");
                long start = System.currentTimeMillis();
                long nextSample = start + 1000;
                int period = 1;
                List<Long> ages = new ArrayList<>();
                Map<String, Integer> periodRuns = new HashMap<>();
                while (System.currentTimeMillis() < start + seconds * 1000L) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                        ages.add(System.currentTimeMillis() - r.timestamp());
                        totalOut++;
                        JsonNode n = JSON.readTree(r.value());
                        if (n.path("inference").asText("full").equals("full")) {
                            runs.merge(n.path("camera").asText(), 1, Integer::sum);
                            periodRuns.merge(n.path("camera").asText(), 1, Integer::sum);
                        }
                    }
                    long now = System.currentTimeMillis();
                    if (now >= nextSample) {
                        nextSample += 1000;
                        lagSamples.add(new long[] {(now - start) / 1000, gw.publishedTotal() - totalOut});
                    }
                    if (now - start >= period * PERIOD_S * 1000L) {
                        long[] a = ages.stream().mapToLong(Long::longValue).sorted().toArray();
                        long p99 = a.length == 0 ? -1 : a[(int) Math.floor(0.99 * (a.length - 1))];
                        int min = Integer.MAX_VALUE;
                        long sum = 0;
                        for (int i = 0; i < cameras; i++) {
                            int k = periodRuns.getOrDefault(tag + i, 0);
                            min = Math.min(min, k);
                            sum += k;
                        }
                        Period p = new Period(period * PERIOD_S, p99, gw.publishedTotal() - totalOut, gw.publishedTotal(), totalOut, min,
                                sum / (double) cameras);
                        periods.add(p);
                        System.out.printf(Locale.ROOT, "%8d %8d %11d %10d %9d %12d / %7.1f%n", p.endSecond(), p.p99Ms(), p.lagFrames(), p.published(),
                                p.events(), p.minCameraRuns(), p.meanCameraRuns());
                        ages.clear();
                        periodRuns.clear();
                        period++;
                    }
                }
                job.checkAlive();
            }
        }
        long maxP99 = periods.stream().mapToLong(Period::p99Ms).max().orElse(-1);
        long total = runs.values().stream().mapToLong(Integer::longValue).sum();
        double minShare = Double.MAX_VALUE;
        for (int i = 0; i < cameras; i++) minShare = Math.min(minShare, runs.getOrDefault(tag + i, 0) / (total / (double) cameras));
        // the first minute after a 30 s start against the last minute
        double first = lagSamples.stream().filter(s -> s[0] >= 30 && s[0] < 90).mapToLong(s -> s[1]).average().orElse(Double.NaN);
        double last = lagSamples.stream().filter(s -> s[0] >= seconds - 60).mapToLong(s -> s[1]).average().orElse(Double.NaN);
        boolean passed = maxP99 >= 0 && maxP99 <= 2000 && minShare >= 0.8 && last <= first + cameras * fps;
        System.out.printf(Locale.ROOT, "p99 age max %d ms (limit 2000); fewest detections of a camera %.2f of an equal share (>= 0.80); "
                + "lag mean %.0f frames in the first minute, %.0f in the last (not growing: <= first + %d) -> %s%n", maxP99, minShare, first, last,
                cameras * fps, passed ? "PASS" : "FAIL");
        return new Result(periods, maxP99, minShare, first, last, passed);
    }
}
