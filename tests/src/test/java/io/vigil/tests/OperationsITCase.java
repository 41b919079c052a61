package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.deploy.kafka.EmbeddedKafka;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Vigil operated like the rest of the stack: the demo's one metrics port serves the job's series (Flink's Prometheus
 * reporter) and the gateway's, per camera, parsed as a Prometheus server would; counters move between two scrapes;
 * every query of the Grafana dashboard (deploy/grafana/vigil.json) names a series the running demo exports; the
 * probes answer. A standalone gateway is alive at once but ready only once its broker answers, and not ready again
 * while the broker is down.
 */
class OperationsITCase {
    private static final Pattern METRICS = Pattern.compile("metrics for Prometheus on (http://\\S+)/metrics");
    private static final Pattern DASHBOARD = Pattern.compile("dashboard on (http://\\S+)/");
    private static final Pattern GATEWAY_METRICS = Pattern.compile("metrics on http://[^:]+:(\\d+)/metrics");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void theDemoServesTheJobsAndTheGatewaysSeriesPerCameraAndTheDashboardsQueriesNameThem() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        Process demo = vigil(home, "demo", "--port", "0", "--dashboard-port", "0", "--metrics-port", "0", "--cameras", "2", "--duration", "150s");
        StringBuilder out = new StringBuilder();
        CompletableFuture<String> metrics = new CompletableFuture<>();
        CompletableFuture<String> dashboard = new CompletableFuture<>();
        follow(demo, out, Map.of(METRICS, metrics, DASHBOARD, dashboard));
        try {
            String base = metrics.get(120, TimeUnit.SECONDS);
            assertTrue(base != null, "the demo prints its metrics port:\n" + out);
            assertEquals(200, get(base + "/healthz").statusCode());
            awaitStatus(base + "/readyz", 200, Duration.ofSeconds(90), out);
            assertEquals(200, get(dashboard.get(10, TimeUnit.SECONDS) + "/readyz").statusCode(), "the dashboard's feeds run");

            PromText first = scrapeWhenCamerasDetected(base, Duration.ofSeconds(90), out);
            Thread.sleep(5000);
            PromText second = PromText.parse(get(base + "/metrics").body());
            for (String cam : List.of("cam-1", "cam-2")) {
                Map<String, String> l = Map.of("camera", cam);
                assertTrue(second.value("vigil_gateway_frames_published_total", l).orElseThrow()
                        > first.value("vigil_gateway_frames_published_total", l).orElseThrow(), cam + ": the gateway's counter moves");
                assertTrue(sum(second, "flink_taskmanager_job_task_operator_camera_framesDetected", l)
                        > sum(first, "flink_taskmanager_job_task_operator_camera_framesDetected", l), cam + ": the job's per-camera counter moves");
                assertEquals(1.0, second.value("vigil_gateway_camera_state", Map.of("camera", cam, "state", "streaming")).orElseThrow());
            }
            assertEquals(Set.of("cam-1", "cam-2"), second.labelValues("flink_taskmanager_job_task_operator_camera_framesDetected", "camera"),
                    "the job's camera label is the camera id itself");
            assertEquals(Set.of("cam-1", "cam-2"), second.labelValues("vigil_gateway_fps", "camera"));
            assertEquals(0.0, sum(second, "flink_taskmanager_job_task_operator_detectorProviderFallback", Map.of()), "asked for CPU, runs on CPU");

            Set<String> missing = new TreeSet<>(dashboardSeries(home.resolve("deploy/grafana/vigil.json")));
            missing.removeAll(second.names());
            assertTrue(missing.isEmpty(), "series the Grafana dashboard queries but the demo does not export: " + missing);
        } finally {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGatewayIsReadyOnlyWhileItsBrokerAnswers() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", ".."));
        int kafkaPort;
        try (ServerSocket s = new ServerSocket(0)) {
            kafkaPort = s.getLocalPort();
        }
        Path seq = Files.createTempDirectory("gw-seq");
        Process gw = vigil(home, "gateway", "--bootstrap", "127.0.0.1:" + kafkaPort, "--http-port", "0", "--http-bind", "127.0.0.1",
                "--seq-dir", seq.toString());
        StringBuilder out = new StringBuilder();
        CompletableFuture<String> port = new CompletableFuture<>();
        follow(gw, out, Map.of(GATEWAY_METRICS, port));
        Path data = Files.createTempDirectory("ops-kafka");
        try {
            String base = "http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS);
            assertEquals(200, get(base + "/healthz").statusCode(), "alive without a broker");
            HttpResponse<String> notReady = get(base + "/readyz");
            assertEquals(503, notReady.statusCode(), "not ready before the first probe either: " + notReady.body());
            for (long end = System.nanoTime() + 20_000_000_000L; !notReady.body().contains("kafka unreachable") && System.nanoTime() < end; ) {
                Thread.sleep(300);
                notReady = get(base + "/readyz");
                assertEquals(503, notReady.statusCode(), notReady.body());
            }
            assertTrue(notReady.body().contains("kafka: kafka unreachable") && notReady.body().contains("cameras: not following vigil.cameras"),
                    "why, per check: " + notReady.body());
            int controller;
            try (ServerSocket s = new ServerSocket(0)) {
                controller = s.getLocalPort();
            }
            EmbeddedKafka kafka = EmbeddedKafka.start(data, kafkaPort, false, controller);
            try {
                kafka.createVigilTopics(1);
                awaitStatus(base + "/readyz", 200, Duration.ofSeconds(90), out);
                HttpResponse<String> m = get(base + "/metrics");
                assertEquals(200, m.statusCode());
                assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), m.headers().toString());
                PromText.parse(m.body()); // no cameras yet: no samples, and nothing malformed
            } finally {
                kafka.close();
            }
            HttpResponse<String> down = awaitStatus(base + "/readyz", 503, Duration.ofSeconds(30), out);
            assertTrue(down.body().contains("kafka unreachable"), down.body());
            assertEquals(200, get(base + "/healthz").statusCode(), "still alive: the kubelet must not restart it for a broker outage");
        } finally {
            gw.destroy();
            gw.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The metric names the dashboard's queries use: every identifier starting vigil_ or flink_. */
    static Set<String> dashboardSeries(Path file) throws Exception {
        JsonNode d = new ObjectMapper().readTree(file.toFile());
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("\\b((?:vigil|flink)_[a-zA-Z0-9_:]*)").matcher("");
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                m.reset(t.path("expr").asText());
                while (m.find()) out.add(m.group(1));
            }
        }
        assertTrue(out.size() > 10, "the dashboard's queries: " + out);
        return out;
    }

    private static double sum(PromText p, String name, Map<String, String> labels) {
        return p.samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(PromText.Sample::value).sum();
    }

    private static PromText scrapeWhenCamerasDetected(String base, Duration limit, StringBuilder out) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            PromText p = PromText.parse(get(base + "/metrics").body());
            if (sum(p, "flink_taskmanager_job_task_operator_camera_framesDetected", Map.of("camera", "cam-1")) > 0
                    && sum(p, "flink_taskmanager_job_task_operator_camera_framesDetected", Map.of("camera", "cam-2")) > 0) return p;
            if (System.nanoTime() > deadline) throw new AssertionError("no per-camera detections in the scrape; demo said:\n" + out);
            Thread.sleep(1000);
        }
    }

    private static HttpResponse<String> awaitStatus(String url, int status, Duration limit, StringBuilder out) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> r = null;
        while (System.nanoTime() < deadline) {
            r = get(url);
            if (r.statusCode() == status) return r;
            Thread.sleep(500);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + limit + "; last " + (r == null ? "-" : r.statusCode() + " " + r.body())
                + "\nprocess said:\n" + out);
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Process vigil(Path home, String... args) throws Exception {
        return VigilProcess.start(home, List.of(args));
    }

    private static void follow(Process p, StringBuilder out, Map<Pattern, CompletableFuture<String>> wanted) {
        VigilProcess.follow(p, out, wanted);
    }
}
