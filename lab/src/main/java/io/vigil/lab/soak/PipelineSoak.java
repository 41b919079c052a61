package io.vigil.lab.soak;

import io.vigil.deploy.dashboard.DashboardServer;
import io.vigil.deploy.demo.DetectionStats;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code vigil soak pipeline}: the whole embedded stack (broker, gateway with N looping cameras at their own pace, the job
 * with the trained action model, the dashboard and its Kafka feeds) for M minutes. Every minute: heap after GC, direct
 * buffers, native memory (NMT, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}), RSS, threads, open
 * files (the embedded broker's log segments counted apart: they accumulate until the topic's retention, by design), the
 * job's consumer lag on vigil.frames and the capture-to-event latency. At the end a verdict: heap after GC and
 * RSS may grow by at most {@code maxGrowth} % between minute {@code from} and the last, threads and open files stay flat.
 */
public final class PipelineSoak {
    /** Threads and open files count as flat within this many. */
    static final int FLAT_SLACK = 3;

    /** @param fps frames per second each camera publishes (vtest.avi's own rate is 10) */
    public record Options(Path model, int cameras, double fps, int minutes, int fromMinute, double maxGrowth) {}

    /** One minute's row. */
    public record Row(int minute, ProcessSample s, long lag, long published, long events, long p50, long p95) {}

    private PipelineSoak() {}

    /** Runs the soak, printing a row a minute to {@code out}; returns true when the verdict is a pass. */
    public static boolean run(Options o, PrintStream out) throws Exception {
        String video = SampleMedia.require(SampleMedia.VTEST).toString();
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, true)) {
            kafka.createVigilTopics(Math.max(2, o.cameras()));
            String bs = kafka.bootstrap();
            String group = "vigil-soak";
            JobConfig cfg = JobConfig.fromArgs("--bootstrap", bs, "--model", o.model().toAbsolutePath().toString(), "--group", group,
                    "--checkpoint-interval", "5s", "--action-model", "trajectory-mamba", "--job-name", "vigil-soak");
            try (LocalJob job = LocalJob.start(cfg);
                 DetectionStats stats = new DetectionStats(bs);
                 KafkaStatusSink status = new KafkaStatusSink(bs, new Properties());
                 CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs), status,
                         GatewayOptions.defaults().withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir()))));
                 AutoCloseable follow = CameraRegistry.follow(bs, gw);
                 DashboardServer dashboard = DashboardServer.start(bs, new Properties(), "127.0.0.1", 0);
                 Admin admin = kafka.admin()) {
                for (int i = 1; i <= o.cameras(); i++) CameraRegistry.put(bs, CameraSpec.of("soak-" + i, video).withFps(o.fps()));
                out.println("soak: " + o.cameras() + " cameras of " + video + " looping, " + o.fps() + " fps each, " + o.minutes()
                        + " minutes; dashboard " + dashboard.url());
                out.println("minute  heap_gc_MB  direct_MB  native_MB  rss_MB  threads  open_files  broker_files  lag_frames  published  events  p50_ms  p95_ms");
                for (int m = 1; m <= o.minutes(); m++) {
                    Thread.sleep(60_000);
                    job.checkAlive();
                    ProcessSample s = ProcessSample.take(kafka.dataDir());
                    long[] lat = stats.drainLatencyPercentiles();
                    long published = gw.stats().stream().mapToLong(CameraStats::published).sum();
                    Row r = new Row(m, s, lag(admin, group), published, stats.events(), lat.length > 0 ? lat[0] : -1, lat.length > 1 ? lat[1] : -1);
                    rows.add(r);
                    out.printf(Locale.ROOT, "%6d  %10.1f  %9.1f  %9s  %6.0f  %7d  %10d  %12d  %10d  %9d  %6d  %6d  %6d%n", m, mb(s.heapAfterGcBytes()),
                            mb(s.directBytes()), s.nativeCommitted() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", mb(s.nativeCommitted())),
                            mb(s.rssBytes()), s.threads(), s.openFiles(), s.excludedFiles(), r.lag(), r.published(), r.events(), r.p50(), r.p95());
                }
            }
        }
        return verdict(rows, o, out);
    }

    static boolean verdict(List<Row> rows, Options o, PrintStream out) {
        if (rows.size() < o.fromMinute() + 1) {
            out.println("verdict: too short (need more than " + o.fromMinute() + " minutes)");
            return false;
        }
        ProcessSample a = rows.get(o.fromMinute() - 1).s();
        ProcessSample b = rows.get(rows.size() - 1).s();
        double heap = growth(a.heapAfterGcBytes(), b.heapAfterGcBytes());
        double rss = growth(a.rssBytes(), b.rssBytes());
        boolean threads = b.threads() <= a.threads() + FLAT_SLACK;
        boolean files = b.openFiles() <= a.openFiles() + FLAT_SLACK;
        boolean pass = heap <= o.maxGrowth() && rss <= o.maxGrowth() && threads && files;
        out.printf(Locale.ROOT, "verdict (minute %d -> %d): heap after GC %+.1f%%, RSS %+.1f%% (limit %.1f%%), threads %d -> %d, open files %d -> %d: %s%n",
                o.fromMinute(), rows.size(), heap, rss, o.maxGrowth(), a.threads(), b.threads(), a.openFiles(), b.openFiles(), pass ? "PASS" : "FAIL");
        return pass;
    }

    private static double growth(long from, long to) {
        return from <= 0 ? 0 : 100.0 * (to - from) / from;
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    /** The job's group lag on vigil.frames: end offsets minus its committed offsets (committed at checkpoints). */
    private static long lag(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
            for (TopicPartition tp : committed.keySet()) if (tp.topic().equals(Topics.FRAMES)) ask.put(tp, OffsetSpec.latest());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : end.entrySet()) lag += e.getValue().offset() - committed.get(e.getKey()).offset();
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }
}
