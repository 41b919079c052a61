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
import io.vigil.video.gateway.group.GatewayGroup;
import io.vigil.video.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gateway", description = {"Run a camera gateway: a member of a gateway group (--group) that shares the cameras of",
        "vigil.cameras with the group's other members and takes over theirs when one stops, streaming its own to",
        "vigil.frames and reporting to vigil.camera-status; or, with --standalone, one gateway that streams every camera.",
        "Ctrl-C stops it (its cameras are handed over to the group)."},
        subcommands = GatewayStatusCommand.class)
final class GatewayCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--group", defaultValue = "vigil-gateways", description = "the gateway group to join (default ${DEFAULT-VALUE}); its members share the cameras")
    String group;

    @Option(names = "--pinned-only", description = {"stream only the cameras pinned to this group (label " + GatewayGroup.PIN_LABEL + "=GROUP); without it,",
            "those and every camera pinned to no group: one group streams the unpinned cameras, a site's own group is pinned-only"})
    boolean pinnedOnly;

    @Option(names = "--member", description = "this gateway's name in the group and in vigil.camera-status (default HOST-PID)")
    String member;

    @Option(names = "--standalone", description = "no group: stream every camera of vigil.cameras, the seqs kept in --seq-dir")
    boolean standalone;

    @Option(names = "--seq-dir", description = "with --standalone: where seq numbers persist across restarts (default ~/.vigil/gateway)")
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
        Properties client = kafka.clientProperties();
        String bootstrap = kafka.bootstrap();
        if (!standalone) {
            try (StopSignal stop = new StopSignal()) {
                return group(opts, bootstrap, client, stop);
            }
        }
        AtomicReference<CameraRegistry.Follower> follower = new AtomicReference<>();
        try (StopSignal stop = new StopSignal();
             KafkaStatusSink status = new KafkaStatusSink(bootstrap, client);
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

    /** A member of the group: the endpoints first, then the group joined (retried until Kafka answers), then a stats line every 10 s. */
    private int group(GatewayOptions opts, String bootstrap, Properties client, StopSignal stop) throws Exception {
        String name = member != null ? member : defaultMember();
        AtomicReference<GatewayGroup> joined = new AtomicReference<>();
        try (KafkaStatusSink status = new KafkaStatusSink(bootstrap, client, name);
             KafkaReachability reachable = new KafkaReachability(bootstrap, client, Duration.ofSeconds(2));
             OpsServer ops = httpPort < 0 ? null : new OpsServer(httpBind, httpPort, groupRegistry(joined), new Health().check("kafka", reachable)
                     .check("cameras", () -> joined.get() == null ? "not following " + Topics.CAMERAS + " yet" : joined.get().registryProblem())
                     .check("group", () -> joined.get() == null ? "not in group " + group + " yet" : joined.get().problem()))) {
            if (ops != null) System.out.printf("vigil gateway: metrics on http://%s:%d/metrics, health on /healthz and /readyz%n", httpBind, ops.port());
            while (joined.get() == null) {
                try {
                    joined.set(new GatewayGroup(bootstrap, client, group, name, pinnedOnly, opts, status));
                } catch (RuntimeException e) {
                    System.out.println("vigil gateway: cannot join group " + group + " on " + bootstrap + " yet (" + e + "); retrying");
                    if (stop.await(5, TimeUnit.SECONDS)) return 0;
                }
            }
            GatewayGroup g = joined.get();
            System.out.println("vigil gateway: member " + name + " of group " + group + " on " + bootstrap + " (" + g.slotCount() + " slots)"
                    + (client.isEmpty() ? "" : " with client settings " + client.stringPropertyNames()) + "; Ctrl-C to stop");
            try {
                while (!stop.await(10, TimeUnit.SECONDS)) {
                    System.out.println("vigil gateway: member " + name + " owns slots " + g.slots() + ", " + g.gateway().stats().size() + " camera(s)");
                    for (CameraStats s : g.gateway().stats()) {
                        System.out.printf(Locale.ROOT, "%-20s %-12s published %7d  dropped %5d  reconnects %3d  %5.1f fps%n",
                                s.camera(), s.state(), s.published(), s.dropped(), s.reconnects(), s.fps());
                    }
                }
            } finally {
                g.close();
            }
        }
        return 0;
    }

    static String defaultMember() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "gateway";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static PrometheusRegistry groupRegistry(AtomicReference<GatewayGroup> joined) {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(new GatewayMetrics(() -> joined.get() == null ? java.util.List.of() : joined.get().gateway().stats()));
        r.register(new io.vigil.deploy.ops.GatewayGroupMetrics(() -> {
            GatewayGroup g = joined.get();
            return g == null ? null : new io.vigil.deploy.ops.GatewayGroupMetrics.Member(g.group(), g.member(), g.slots().size(),
                    g.gateway().stats().size(), g.rebalances(), g.slotsLost());
        }));
        return r;
    }

    static PrometheusRegistry registry(CameraGateway gw) {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(new GatewayMetrics(gw));
        return r;
    }
}
