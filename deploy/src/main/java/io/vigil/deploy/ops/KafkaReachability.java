package io.vigil.deploy.ops;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, asked every {@code period} in the background (a readiness probe must answer at once
 * and must not open a connection per request): a broker listed by a metadata request within the timeout.
 */
public final class KafkaReachability implements Supplier<String>, AutoCloseable {
    private final Admin admin;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-kafka-health");
        t.setDaemon(true);
        return t;
    });
    private final int timeoutMs;
    private volatile String problem = "not checked yet";

    public KafkaReachability(String bootstrap, Properties client, Duration period) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        this.admin = Admin.create(p);
        this.timeoutMs = (int) Math.min(3000, Math.max(500, period.toMillis()));
        checker.scheduleWithFixedDelay(this::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes().get(timeoutMs + 500L, TimeUnit.MILLISECONDS).size();
            problem = nodes > 0 ? null : "no broker in the cluster's metadata";
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            problem = "kafka unreachable (" + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")";
        }
    }

    /** null when the last probe reached a broker, else why not. */
    @Override
    public String get() {
        return problem;
    }

    @Override
    public void close() {
        checker.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
