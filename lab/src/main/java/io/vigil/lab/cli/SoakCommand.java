package io.vigil.lab.cli;

import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.lab.soak.PipelineSoak;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "soak", description = "Long runs that check resource use over time (not part of the test suite).",
        subcommands = {SoakCommand.Gateway.class, SoakCommand.Pipeline.class})
final class SoakCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "gateway", description = {"Embedded broker + gateway with N looping cameras for M minutes; prints the heap",
            "after GC every minute and fails if it grew by more than the limit between minute 2 and the end."})
    static final class Gateway implements Callable<Integer> {
        @Option(names = "--minutes", defaultValue = "10", description = "(default ${DEFAULT-VALUE})")
        int minutes;

        @Option(names = "--cameras", defaultValue = "4", description = "(default ${DEFAULT-VALUE})")
        int cameras;

        @Option(names = "--max-growth", defaultValue = "5", description = "allowed heap growth in %% from minute 2 (default ${DEFAULT-VALUE})")
        double maxGrowth;

        @Override
        public Integer call() throws Exception {
            if (minutes < 3) throw new IllegalArgumentException("--minutes must be >= 3 (the baseline is taken at minute 2)");
            String video = SampleMedia.require(SampleMedia.VTEST).toString();
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            long baseline = -1;
            long last = -1;
            try (EmbeddedKafka kafka = EmbeddedKafka.start(null, 0, true)) {
                kafka.createVigilTopics(2);
                try (KafkaStatusSink status = new KafkaStatusSink(kafka.bootstrap(), new Properties());
                     CameraGateway gw = new CameraGateway(new KafkaFramePublisher(kafka.bootstrap()), status, GatewayOptions.defaults()
                             .withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir()))));
                     AutoCloseable follow = CameraRegistry.follow(kafka.bootstrap(), gw)) {
                    for (int i = 1; i <= cameras; i++) CameraRegistry.put(kafka.bootstrap(), CameraSpec.of("soak-" + i, video));
                    for (int m = 1; m <= minutes; m++) {
                        Thread.sleep(60_000);
                        long heap = heapAfterGc(mem);
                        long published = gw.stats().stream().mapToLong(CameraStats::published).sum();
                        long dropped = gw.stats().stream().mapToLong(CameraStats::dropped).sum();
                        System.out.printf(Locale.ROOT, "minute %2d: heap after GC %6.1f MB, frames published %8d, dropped %6d%n",
                                m, heap / 1048576.0, published, dropped);
                        if (m == 2) baseline = heap;
                        last = heap;
                    }
                }
            }
            double growth = 100.0 * (last - baseline) / baseline;
            System.out.printf(Locale.ROOT, "heap after GC: minute 2 %.1f MB, minute %d %.1f MB, growth %+.1f%% (limit %.1f%%)%n",
                    baseline / 1048576.0, minutes, last / 1048576.0, growth, maxGrowth);
            return growth <= maxGrowth ? 0 : 1;
        }

        private static long heapAfterGc(MemoryMXBean mem) throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(300);
            }
            return mem.getHeapMemoryUsage().getUsed();
        }
    }

    @Command(name = "pipeline", description = {"The whole embedded stack (broker, gateway, job, dashboard feeds) with N looping cameras for M",
            "minutes: heap after GC, direct and native memory, RSS, threads, open files, Kafka lag and latency every minute,",
            "then a verdict: heap and RSS growth from --from-minute to the end within --max-growth, threads and files flat.",
            "Native memory shows with VIGIL_JAVA_OPTS=-XX:NativeMemoryTracking=summary."})
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--minutes", defaultValue = "60", description = "(default ${DEFAULT-VALUE})")
        int minutes;

        @Option(names = "--cameras", defaultValue = "4", description = "(default ${DEFAULT-VALUE})")
        int cameras;

        @Option(names = "--fps", defaultValue = "5", description = "frames per second per camera, within the machine's capacity so latency stays bounded (default ${DEFAULT-VALUE})")
        double fps;

        @Option(names = "--from-minute", defaultValue = "10", description = "the baseline minute (default ${DEFAULT-VALUE})")
        int from;

        @Option(names = "--max-growth", defaultValue = "5", description = "allowed growth of heap after GC and RSS in %% (default ${DEFAULT-VALUE})")
        double maxGrowth;

        @Option(names = "--model", description = "detector (default yolox-nano)")
        String model;

        @Override
        public Integer call() throws Exception {
            if (minutes <= from) throw new IllegalArgumentException("--minutes must be above --from-minute (" + from + ")");
            var o = new PipelineSoak.Options(ModelLocator.resolve(model), cameras, fps, minutes, from, maxGrowth);
            return PipelineSoak.run(o, System.out) ? 0 : 1;
        }
    }
}
