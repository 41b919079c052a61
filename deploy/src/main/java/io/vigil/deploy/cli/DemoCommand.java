package io.vigil.deploy.cli;

import io.vigil.deploy.dashboard.DashboardAuth;
import io.vigil.deploy.dashboard.DashboardServer;
import io.vigil.deploy.demo.DetectionStats;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.demo.MediaFetcher;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.Durations;
import io.vigil.flink.config.JobConfig;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.PublishSize;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import io.vigil.video.source.SourceSpec;
import java.io.IOException;
import java.net.BindException;
import io.vigil.deploy.ops.FlinkPrometheus;
import io.vigil.deploy.ops.Health;
import io.vigil.deploy.ops.KafkaReachability;
import io.vigil.deploy.ops.OpsServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = {
        "The embedded default, in one JVM: a Kafka broker, the camera gateway replaying a video, and the Vigil job on a",
        "local Flink MiniCluster. Prints a status line about once a second; follow the events with `vigil events`."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--source", description = "video file, rtsp/http URL, or testsrc (default: vtest.avi, fetched from Debian's opencv-doc)")
    String source;

    @Option(names = "--model", description = "model directory or .onnx file (default: VIGIL_MODEL_DIR, then ../shared/models/yolox-nano)")
    String model;

    @Option(names = "--duration", description = "stop after this long, e.g. 60s or 5m (default: until Ctrl-C)")
    String duration;

    @Option(names = "--cameras", defaultValue = "1", description = "replay the source as N cameras (default ${DEFAULT-VALUE})")
    int cameras;

    @Option(names = "--fps", defaultValue = "0", description = "publish at most this many frames/s per camera (default: the source's rate)")
    double fps;

    @picocli.CommandLine.Mixin
    PublishSizeOption publish;

    @Option(names = "--port", defaultValue = "9092", description = "Kafka port; another free one is taken if busy (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data-dir", description = "keep Kafka's data here (default: a temporary directory)")
    Path dataDir;

    @Option(names = "--parallelism", defaultValue = "1", description = "Flink parallelism (default ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--provider", defaultValue = "cpu", description = "ONNX Runtime provider: cpu or cuda[:N] (default ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--detect-every", defaultValue = "1", description = "run the detector on every N-th frame of a camera, the tracker predicts between (default ${DEFAULT-VALUE})")
    int detectEvery;

    @Option(names = "--motion", description = "skip frames with no motion and nothing moving")
    boolean motion;

    @Option(names = "--track-motion", defaultValue = "kalman", description = "the tracker's motion predictor: kalman or ssm, the trained selective scan motion-mamba (default ${DEFAULT-VALUE})")
    String trackMotion;

    @Option(names = "--metrics-port", defaultValue = "9249", description = "one port for Prometheus (/metrics: the job's and the gateway's series) and the probes (/healthz, /readyz); 0 = any free one, -1 = none (default ${DEFAULT-VALUE})")
    int metricsPort;

    @picocli.CommandLine.Mixin
    PluginsOption plugins;

    @Option(names = "--notify", description = "also deliver vigil.analytics events to this webhook (repeatable; `vigil notify` for filters and settings)")
    List<java.net.URI> notify = new ArrayList<>();

    @Option(names = "--dashboard-port", defaultValue = "8090", description = "the dashboard's port; 0 = any free one, -1 = no dashboard (default ${DEFAULT-VALUE})")
    int dashboardPort;

    @Option(names = "--dashboard-bind", defaultValue = "127.0.0.1", description = "the dashboard's address (default ${DEFAULT-VALUE}: this machine only)")
    String dashboardBind;

    @Option(names = "--action-model", description = "per-track action model: a trained trajectory model or a windowed ONNX one "
            + "(default: trajectory-mamba, the project's trained model)")
    String actionModel;

    @Option(names = "--spatiotemporal-model", description = "a spatiotemporal SSM (safetensors) stepped per camera per frame; its per-patch "
            + "implicit attention is the dashboard's explain heatmap")
    Path spatiotemporalModel;

    /** What the demo's gateway and dashboard may open: set from the source in call(). */
    private SourcePolicy policy = SourcePolicy.defaults();

    @Override
    public Integer call() throws Exception {
        if (cameras < 1) throw new IllegalArgumentException("--cameras must be >= 1");
        long durationMs = duration == null ? 0 : Durations.parse("duration", duration).toMillis();
        Path modelPath = ModelLocator.resolve(model);
        ModelBundle bundle = ModelBundle.load(modelPath);
        PublishSize publishSize;
        try (Detector probe = Detector.open(bundle, DetectorOptions.defaults().withThreads(1))) {
            say("model %s", probe.bundle().modelId());
            // the gateway and the job share this process: publish what the model's letterbox uses, no more
            int[] in = probe.inputSize();
            publishSize = publish.orElse(new PublishSize(in[0], in[1]));
        }
        SourceSpec src = resolveSource();
        String sourceText = src.location();
        // the demo's gateway and dashboard open network cameras, the test pattern, and files beside the source and in the media cache
        List<Path> mediaDirs = new ArrayList<>(List.of(SampleMedia.cacheDir()));
        if (src.kind() == SourceSpec.Kind.FILE && Path.of(sourceText).toAbsolutePath().getParent() != null) {
            mediaDirs.add(Path.of(sourceText).toAbsolutePath().getParent());
        }
        policy = SourcePolicy.defaults().withMediaDirs(mediaDirs);
        say("source %s as %d camera(s), published to fit %s", src.display(), cameras, publishSize);

        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.currentTimeMillis();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, port, true)) {
            kafka.createVigilTopics(Math.max(2, cameras));
            say("Kafka broker on %s  (follow events: ./vigil events%s)", kafka.bootstrap(),
                    kafka.port() == EmbeddedKafka.DEFAULT_PORT ? "" : " --bootstrap " + kafka.bootstrap());
            // exactly-once events, committed every second; person tracks labelled by Vigil's trained streaming trajectory
            // model (models/trained/trajectory-mamba), else the upstream LSTM when it is here
            String action = actionModel != null ? ModelLocator.resolve(actionModel).toAbsolutePath().toString()
                    : ModelLocator.trained("trajectory-mamba")
                    .or(() -> ModelLocator.byName("gesture-point-history-lstm")).map(p -> p.toAbsolutePath().toString()).orElse(null);
            List<String> flags = new ArrayList<>(List.of("--bootstrap", kafka.bootstrap(), "--model", modelPath.toAbsolutePath().toString(),
                    "--parallelism", Integer.toString(parallelism), "--provider", provider, "--group", "vigil-demo", "--checkpoint-interval", "1s"));
            if (action != null) flags.addAll(List.of("--action-model", action));
            flags.addAll(List.of("--detect-every", Integer.toString(detectEvery), "--motion", Boolean.toString(motion), "--track-motion", trackMotion));
            if (spatiotemporalModel != null) {
                flags.addAll(List.of("--spatiotemporal-model", spatiotemporalModel.toAbsolutePath().toString(), "--saliency", "true"));
            }
            JobConfig cfg = JobConfig.fromArgs(flags.toArray(String[]::new));
            if (action != null) say("actions: person tracks labelled by %s", action);
            if (cfg.track().motion() == JobConfig.Motion.SSM) {
                say("tracker: each track's motion predicted by the selective scan %s", io.vigil.flink.track.MotionModels.resolve(cfg.track().motionModel()));
            }
            // Flink's reporter serves the job's series on a port of its own; the demo's one metrics port appends them to the gateway's
            int flinkReporterPort = metricsPort < 0 ? -1 : freePort();
            try (DetectionStats stats = new DetectionStats(kafka.bootstrap());
                 LocalJob job = LocalJob.start(cfg, flinkMetrics(flinkReporterPort));
                 KafkaStatusSink status = new KafkaStatusSink(kafka.bootstrap(), new Properties());
                 CameraGateway gateway = new CameraGateway(new KafkaFramePublisher(kafka.bootstrap()), status,
                         GatewayOptions.defaults().withSourcePolicy(policy).withPublishSize(publishSize));
                 CameraRegistry.Follower registry = CameraRegistry.follow(kafka.bootstrap(), gateway);
                 DashboardServer dashboard = startDashboard(kafka.bootstrap());
                 KafkaReachability reachable = new KafkaReachability(kafka.bootstrap(), new Properties(), java.time.Duration.ofSeconds(2));
                 io.vigil.deploy.notify.Notifier notifier = startNotify(kafka.bootstrap());
                 OpsServer ops = startOps(flinkReporterPort, gateway, new Health().check("kafka", reachable).check("cameras", registry::problem)
                         .check("job", () -> jobProblem(job)).check("dashboard", () -> dashboard == null ? null : dashboard.feedsProblem()))) {
                say("Flink job started on a local MiniCluster (parallelism %d)", parallelism);
                // cameras are subscribed the way users do it: through vigil.cameras
                for (int i = 1; i <= cameras; i++) {
                    CameraRegistry.put(kafka.bootstrap(), CameraSpec.of("cam-" + i, sourceText).withFps(fps > 0 ? fps : null));
                }
                String provider = "";
                long lastFrames = 0;
                long lastEvents = 0;
                long lastTick = System.currentTimeMillis();
                while (!stop.await(1, TimeUnit.SECONDS)) {
                    long now = System.currentTimeMillis();
                    double dt = Math.max(1e-3, (now - lastTick) / 1000.0);
                    long in = gateway.publishedTotal();
                    long ev = stats.events();
                    long[] lat = stats.drainLatencyPercentiles();
                    List<CameraStats> cams = gateway.stats();
                    StringBuilder notStreaming = new StringBuilder();
                    for (CameraStats cs : cams) {
                        // a camera that is not streaming says so on every line, with why, instead of a silent "frames in 0"
                        if (!cs.state().equals("streaming")) {
                            notStreaming.append(" | ").append(cs.camera()).append(' ').append(cs.state());
                            if (cs.lastError() != null) notStreaming.append(": ").append(cs.lastError());
                        }
                    }
                    if (cams.isEmpty()) notStreaming.append(" | no camera subscribed yet");
                    if (flinkReporterPort > 0 && ((now - t0) / 1000) % 5 == 0) {
                        provider = providerNote(flinkReporterPort);
                        if (dashboard != null) dashboard.notice(provider.startsWith(" | DETECTOR ON CPU") ? provider.substring(3) : "");
                    }
                    notStreaming.append(provider);
                    System.out.printf(Locale.ROOT, "[%4ds] frames in %6d (%5.1f/s) | processed %6d (%5.1f/s) | %s | objects %4.1f/frame | tracks %4d | actions %s | latency %s%s%n",
                            (now - t0) / 1000, in, (in - lastFrames) / dt, ev, (ev - lastEvents) / dt, stats.drainInference(),
                            ev == 0 ? 0.0 : (double) stats.objects() / ev, stats.tracks(), stats.labels().isEmpty() ? "-" : stats.labels(),
                            lat.length == 0 ? "-" : String.format(Locale.ROOT, "p50 %d ms, p95 %d ms", lat[0], lat[1]), notStreaming);
                    lastFrames = in;
                    lastEvents = ev;
                    lastTick = now;
                    for (CameraStats cs : cams) {
                        // the demo's own cameras; one subscribed from the dashboard may fail on its own
                        if (cs.state().equals("failed") && cs.camera().matches("cam-\\d+")) throw new IllegalStateException("camera " + cs.camera() + " failed: " + cs.lastError());
                    }
                    job.checkAlive();
                    if (durationMs > 0 && now - t0 >= durationMs) break;
                }
                say("stopping: %d frames published, %d detection events, %d objects", gateway.publishedTotal(), stats.events(), stats.objects());
            }
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down (Ctrl-C)
            }
        }
        return 0;
    }

    /**
     * What the detector really runs on, from the job's own metrics: nothing on a CPU run as asked, "on GPU" on CUDA, and
     * a warning on every line when CUDA was asked for and the detector fell back to CPU.
     */
    private static String providerNote(int flinkReporterPort) {
        try {
            String scrape = new String(FlinkPrometheus.scraper(flinkReporterPort).get(), java.nio.charset.StandardCharsets.UTF_8);
            if (FlinkPrometheus.max(scrape, "flink_taskmanager_job_task_operator_detectorProviderFallback").orElse(0) > 0) {
                return " | DETECTOR ON CPU: CUDA asked for, not available (see the log; --require-provider fails instead)";
            }
            return FlinkPrometheus.max(scrape, "flink_taskmanager_job_task_operator_detectorOnGpu").orElse(0) > 0 ? " | detector on GPU" : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    private io.vigil.deploy.notify.Notifier startNotify(String bootstrap) {
        if (notify.isEmpty()) return null;
        List<io.vigil.deploy.notify.Webhook> hooks = new ArrayList<>();
        String secret = System.getenv("VIGIL_NOTIFY_SECRET");
        for (java.net.URI u : notify) hooks.add(new io.vigil.deploy.notify.Webhook(u, secret, java.time.Duration.ofSeconds(10)));
        io.vigil.deploy.notify.Notifier n = new io.vigil.deploy.notify.Notifier(new io.vigil.deploy.notify.Notifier.Settings(bootstrap, new Properties(),
                List.of("analytics"), "vigil-demo-notify", io.vigil.deploy.notify.EventFilter.ALL, hooks, io.vigil.deploy.notify.Notifier.Format.RAW,
                8, java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(30)));
        Thread t = new Thread(n, "vigil-notify");
        t.setDaemon(true);
        t.start();
        say("notify: vigil.analytics events to %s%s", notify, secret == null ? "" : " (signed with VIGIL_NOTIFY_SECRET)");
        return n;
    }

    private static org.apache.flink.configuration.Configuration flinkMetrics(int port) {
        org.apache.flink.configuration.Configuration c = new org.apache.flink.configuration.Configuration();
        return port < 0 ? c : FlinkPrometheus.configure(c, Integer.toString(port));
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** null while the job runs, else its state. */
    private static String jobProblem(LocalJob job) {
        try {
            org.apache.flink.api.common.JobStatus st = job.client().getJobStatus().get(2, TimeUnit.SECONDS);
            return st == org.apache.flink.api.common.JobStatus.RUNNING ? null : "the Flink job is " + st;
        } catch (Exception e) {
            return "the Flink job's state is unknown: " + e;
        }
    }

    private OpsServer startOps(int flinkReporterPort, CameraGateway gateway, Health health) throws IOException {
        if (metricsPort < 0) return null;
        java.util.List<java.util.function.Supplier<byte[]>> flink = java.util.List.of(FlinkPrometheus.scraper(flinkReporterPort));
        OpsServer ops;
        try {
            ops = new OpsServer(dashboardBind, metricsPort, GatewayCommand.registry(gateway), flink, health);
        } catch (BindException busy) {
            ops = new OpsServer(dashboardBind, 0, GatewayCommand.registry(gateway), flink, health);
            say("port %d is busy: the metrics took another", metricsPort);
        }
        say("metrics for Prometheus on http://%s:%d/metrics (the job's and the gateway's), probes on /healthz and /readyz", dashboardBind, ops.port());
        return ops;
    }

    private DashboardServer startDashboard(String bootstrap) throws IOException {
        if (dashboardPort < 0) return null;
        DashboardServer d;
        try {
            d = DashboardServer.start(bootstrap, new Properties(), dashboardBind, dashboardPort, DashboardAuth.off(), policy);
        } catch (BindException busy) {
            d = DashboardServer.start(bootstrap, new Properties(), dashboardBind, 0, DashboardAuth.off(), policy);
            say("port %d is busy: the dashboard took another", dashboardPort);
        }
        say("dashboard on %s", d.url());
        return d;
    }

    private SourceSpec resolveSource() {
        if (source != null) return SourceSpec.parse(source);
        Optional<Path> vtest = MediaFetcher.ensure(SampleMedia.VTEST);
        if (vtest.isPresent()) return SourceSpec.parse(vtest.get().toString());
        say("vtest.avi is not available (see the line above); falling back to FFmpeg's testsrc pattern");
        return SourceSpec.parse("testsrc");
    }

    private static void say(String fmt, Object... args) {
        System.out.println("vigil demo: " + String.format(Locale.ROOT, fmt, args));
    }
}
