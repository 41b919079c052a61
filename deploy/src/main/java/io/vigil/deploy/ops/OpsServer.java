package io.vigil.deploy.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A service's operations endpoints, for Prometheus and Kubernetes:
 *
 * <pre>
 * GET /metrics   the registry in the Prometheus text format (0.0.4)
 * GET /healthz   200 "ok" while the process serves requests (liveness)
 * GET /readyz    200 "ready" when every {@link Health} check passes, else 503 with one failing check per line (readiness)
 * </pre>
 *
 * The metrics carry counts and timings only, no frames and no credentials, so the endpoints need no login; bind them
 * where Prometheus and the kubelet reach them.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "vigil-ops-http");
        t.setDaemon(true);
        return t;
    });
    private final PrometheusRegistry registry;
    private final List<Supplier<byte[]>> more;
    private final Health health;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** @param port 0 = any free one */
    public OpsServer(String bind, int port, PrometheusRegistry registry, Health health) throws IOException {
        this(bind, port, registry, List.of(), health);
    }

    /**
     * @param more further expositions in the same text format appended to the registry's (e.g. the job's series scraped
     *             from Flink's reporter in the same JVM), so one port serves a whole single-process deployment
     */
    public OpsServer(String bind, int port, PrometheusRegistry registry, List<Supplier<byte[]>> more, Health health) throws IOException {
        this.registry = registry;
        this.more = List.copyOf(more);
        this.health = health;
        http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        http.setExecutor(pool);
        http.createContext("/metrics", this::metrics);
        http.createContext("/healthz", ex -> reply(ex, 200, "text/plain; charset=utf-8", "ok\n"));
        http.createContext("/readyz", this::ready);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void metrics(HttpExchange ex) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
            for (Supplier<byte[]> m : more) out.write(m.get());
        } catch (RuntimeException e) {
            reply(ex, 500, "text/plain; charset=utf-8", "metrics: " + e + "\n");
            return;
        }
        send(ex, 200, writer.getContentType(), out.toByteArray());
    }

    private void ready(HttpExchange ex) throws IOException {
        List<String> failing = health.failing();
        if (failing.isEmpty()) reply(ex, 200, "text/plain; charset=utf-8", "ready\n");
        else reply(ex, 503, "text/plain; charset=utf-8", String.join("\n", failing) + "\n");
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : body.length);
            if (!head) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }
}
