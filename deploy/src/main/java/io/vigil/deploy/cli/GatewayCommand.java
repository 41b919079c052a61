package io.vigil.deploy.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.deploy.ops.GatewayMetrics;
import io.vigil.deploy.ops.Health;
import io.vigil.deploy.ops.KafkaReachability;
import io.vigil.deploy.ops.OpsServer;
import io.vigil.flink.config.Durations;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.PublishSize;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gateway", description = {"Run the camera gateway: it follows vigil.cameras and streams every subscribed camera",
        "to vigil.frames, reporting to vigil.camera-status. Ctrl-C stops it."})
final class GatewayCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--seq-dir", description = "where seq numbers persist across restarts (default ~/.vigil/gateway)")
    Path seqDir;

    @Option(names = "--stall-timeout", defaultValue = "5s", description = "no frame for this long = stalled (default ${DEFAULT-VALUE})")
    String stall;


    @Option(names = "--http-port", defaultValue = "8091", description = "port of /metrics (Prometheus), /healthz and /readyz; -1 = none (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--http-bind", defaultValue = "0.0.0.0", description = "address of those endpoints (default ${DEFAULT-VALUE}: where Prometheus and the kubelet reach it)")
    String httpBind;

    @Mixin
    SourcePolicyOptions sources;

    @Mixin
    PublishSizeOption publish;

    @Override
    public Integer call() throws Exception {
        Path seqs = seqDir != null ? seqDir : Path.of(System.getProperty("user.home"), ".vigil", "gateway");
        GatewayOptions opts = GatewayOptions.defaults().withSeqDir(seqs)
                .withStallTimeout(Durations.parse("stall-timeout", stall)).withSourcePolicy(sources.policy())
                .withPublishSize(publish.orElse(PublishSize.DEFAULT));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        Properties client = kafka.clientProperties();
        String bootstrap = kafka.bootstrap();
        AtomicReference<CameraRegistry.Follower> follower = new AtomicReference<>();
        try (KafkaStatusSink status = new KafkaStatusSink(bootstrap, client);
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bootstrap, Topics.FRAMES, client), status, opts);
             KafkaReachability reachable = new KafkaReachability(bootstrap, client, Duration.ofSeconds(2));
             OpsServer ops = httpPort < 0 ? null : new OpsServer(httpBind, httpPort, registry(gw), new Health().check("kafka", reachable)
                     .check("cameras", () -> follower.get() == null ? "not following " + Topics.CAMERAS + " yet" : follower.get().problem()))) {
            if (ops != null) System.out.printf("vigil gateway: metrics on http://%s:%d/metrics, health on /healthz and /readyz%n", httpBind, ops.port());
            // the endpoints come up first: until Kafka answers the gateway is alive and says why it is not ready
            while (follower.get() == null) {
                try {
                    follower.set(CameraRegistry.follow(bootstrap, client, gw));
                } catch (RuntimeException e) {
                    System.out.println("vigil gateway: cannot follow " + Topics.CAMERAS + " on " + bootstrap + " yet (" + e + "); retrying");
                    if (stop.await(5, TimeUnit.SECONDS)) return 0;
                }
            }
            System.out.println("vigil gateway: following vigil.cameras on " + bootstrap
                    + (client.isEmpty() ? "" : " with client settings " + client.stringPropertyNames()) + "; Ctrl-C to stop");
            try (CameraRegistry.Follower f = follower.get()) {
                while (!stop.await(10, TimeUnit.SECONDS)) {
                    for (CameraStats s : gw.stats()) {
                        System.out.printf(Locale.ROOT, "%-20s %-12s published %7d  dropped %5d  reconnects %3d  %5.1f fps%n",
                                s.camera(), s.state(), s.published(), s.dropped(), s.reconnects(), s.fps());
                    }
                }
            }
        }
        return 0;
    }

    static PrometheusRegistry registry(CameraGateway gw) {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(new GatewayMetrics(gw));
        return r;
    }
}
