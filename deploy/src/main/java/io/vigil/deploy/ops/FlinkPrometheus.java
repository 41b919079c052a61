package io.vigil.deploy.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;

/**
 * Flink's own Prometheus reporter ({@code flink-metrics-prometheus}), which serves every metric of a Flink process, the
 * job's included, on an HTTP port in the Prometheus text format. Operator metrics become
 * {@code flink_taskmanager_job_task_operator_<name>} with the job, task, operator and subtask as labels, and a group
 * made with {@code addGroup("camera", id)} adds {@code camera} as a label.
 */
public final class FlinkPrometheus {
    public static final String FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    /** Ports the processes of one host take, the first free one each (a JobManager and TaskManagers side by side). */
    public static final String PORT_RANGE = "9249-9259";

    private FlinkPrometheus() {}

    /** The settings, as written in Flink's config.yaml. */
    public static Map<String, String> settings(String ports) {
        // label values as they are (a camera "cam-1" stays "cam-1", not "cam_1"); the text format escapes what needs it
        return Map.of("metrics.reporter.prom.factory.class", FACTORY, "metrics.reporter.prom.port", ports,
                "metrics.reporter.prom.filterLabelValueCharacters", "false");
    }

    public static Configuration configure(Configuration conf, String ports) {
        settings(ports).forEach(conf::setString);
        return conf;
    }

    /** The largest value of a series in an exposition (every label set), empty when it has none. */
    public static java.util.OptionalDouble max(String exposition, String series) {
        double best = Double.NEGATIVE_INFINITY;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(series) || line.length() == series.length()) continue;
            char next = line.charAt(series.length());
            if (next != '{' && next != ' ') continue;
            String v = line.substring(line.lastIndexOf(' ') + 1);
            try {
                double x = Double.parseDouble(v);
                if (Double.isNaN(x)) continue; // a gauge with nothing to say yet
                best = Math.max(best, x);
                found = true;
            } catch (NumberFormatException ignored) {
                // not a number: nothing to say either
            }
        }
        return found ? java.util.OptionalDouble.of(best) : java.util.OptionalDouble.empty();
    }

    /** The reporter's exposition fetched from {@code 127.0.0.1:port} on each call; an error reads as an empty scrape. */
    public static Supplier<byte[]> scraper(int port) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/metrics");
        return () -> {
            try {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(5000);
                try (InputStream in = c.getInputStream()) {
                    return in.readAllBytes();
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Flink's metrics reporter on port " + port + " did not answer", e);
            }
        };
    }
}
