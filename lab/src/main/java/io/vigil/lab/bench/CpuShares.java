package io.vigil.lab.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this process split by stage, from JVM thread names: the camera gateway, the Flink task threads (source,
 * decode, detect call, track, sinks), the Kafka broker, and the rest of the process (ONNX Runtime's own native
 * inference threads, which the JVM cannot name, plus GC and JIT).
 */
final class CpuShares {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<String, Long> start;
    private long processStart;

    void begin() {
        start = sample();
        processStart = os.getProcessCpuTime();
    }

    /** Shares of the process CPU time since {@link #begin}, in percent of one core over {@code seconds}. */
    Map<String, Double> end(double seconds) {
        Map<String, Long> now = sample();
        long process = os.getProcessCpuTime() - processStart;
        Map<String, Double> out = new LinkedHashMap<>();
        long named = 0;
        for (String stage : new String[] {"gateway", "flink tasks", "kafka broker", "other JVM threads"}) {
            long d = now.getOrDefault(stage, 0L) - start.getOrDefault(stage, 0L);
            named += d;
            out.put(stage, 100.0 * d / 1e9 / seconds);
        }
        out.put("native (ONNX Runtime workers) + GC/JIT", 100.0 * Math.max(0, process - named) / 1e9 / seconds);
        out.put("process total", 100.0 * process / 1e9 / seconds);
        return out;
    }

    private Map<String, Long> sample() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti == null) continue;
            long cpu = threads.getThreadCpuTime(ti.getThreadId());
            if (cpu < 0) continue;
            m.merge(stage(ti.getThreadName()), cpu, Long::sum);
        }
        return m;
    }

    static String stage(String name) {
        if (name.startsWith("vigil-camera-") || name.startsWith("vigil-send-") || name.startsWith("kafka-producer-network-thread | vigil-gateway")) return "gateway";
        if (name.contains("frames") || name.contains("detect") || name.contains("track") || name.contains("sink") || name.contains("Source:")) return "flink tasks";
        if (name.startsWith("data-plane") || name.startsWith("kafka-") || name.contains("broker") || name.contains("controller")
                || name.startsWith("ReplicaFetcher") || name.contains("raft") || name.contains("quorum")) return "kafka broker";
        return "other JVM threads";
    }
}
