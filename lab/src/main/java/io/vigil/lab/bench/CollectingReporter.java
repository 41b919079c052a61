package io.vigil.lab.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that keeps every metric of this JVM's MiniCluster in a map, so a benchmark can read
 * operator metrics (e.g. the Detect operator's meanBatchSize) while the job runs.
 */
public final class CollectingReporter implements MetricReporter {
    static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(name));
    }

    /** The value of the gauges named {@code name} in operators whose scope contains {@code operator} (the largest). */
    public static double gauge(String operator, String name) {
        double best = Double.NaN;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (e.getKey().endsWith("." + name) && e.getKey().contains("." + operator + ".") && e.getValue() instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                best = Double.isNaN(best) ? n.doubleValue() : Math.max(best, n.doubleValue());
            }
        }
        return best;
    }

    /** The mean of the histograms named {@code name} in operators whose scope contains {@code operator} (the largest). */
    public static double histogramMean(String operator, String name) {
        double best = Double.NaN;
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            if (e.getKey().endsWith("." + name) && e.getKey().contains("." + operator + ".") && e.getValue() instanceof org.apache.flink.metrics.Histogram h
                    && h.getCount() > 0) {
                double m = h.getStatistics().getMean();
                best = Double.isNaN(best) ? m : Math.max(best, m);
            }
        }
        return best;
    }

    /** Every counter whose name starts with {@code prefix}, summed over the subtasks, by name. */
    public static Map<String, Long> counters(String prefix) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Metric> e : METRICS.entrySet()) {
            String name = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            if (name.startsWith(prefix) && e.getValue() instanceof org.apache.flink.metrics.Counter c) out.merge(name, c.getCount(), Long::sum);
        }
        return out;
    }

    /** Factory Flink instantiates from {@code metrics.reporter.NAME.factory.class}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CollectingReporter();
        }
    }
}
