package io.vigil.deploy.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsInTheTextFormatAndProbesThatSayWhy() throws Exception {
        PrometheusRegistry r = new PrometheusRegistry();
        r.register(() -> MetricSnapshots.of(CounterSnapshot.builder().name("vigil_test_frames").help("frames")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("camera", "cam-1")).value(7).build()).build()));
        AtomicReference<String> kafka = new AtomicReference<>("kafka unreachable (TimeoutException)");
        Health h = new Health().check("kafka", kafka::get).check("broken", () -> {
            throw new IllegalStateException("boom");
        });
        try (OpsServer s = new OpsServer("127.0.0.1", 0, r, List.of(() -> "flink_x 1.0\n".getBytes(StandardCharsets.UTF_8)), h)) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> m = get(base + "/metrics");
            assertEquals(200, m.statusCode());
            assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(m.body().contains("# TYPE vigil_test_frames_total counter\n"), m.body());
            assertTrue(m.body().contains("vigil_test_frames_total{camera=\"cam-1\"} 7"), m.body());
            assertTrue(m.body().endsWith("flink_x 1.0\n"), "the appended exposition: " + m.body());
            assertEquals(200, get(base + "/healthz").statusCode());
            HttpResponse<String> ready = get(base + "/readyz");
            assertEquals(503, ready.statusCode());
            assertEquals("kafka: kafka unreachable (TimeoutException)\nbroken: java.lang.IllegalStateException: boom\n", ready.body());
            kafka.set(null);
            assertTrue(get(base + "/readyz").body().startsWith("broken: "), "a check that throws is failing");
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
