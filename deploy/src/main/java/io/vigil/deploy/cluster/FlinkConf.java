package io.vigil.deploy.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a standalone cluster's {@code conf/}: Flink 2.x's {@code config.yaml} and the log4j2 configuration its
 * processes log with. The same settings suit a real installation (see deploy/README.md).
 */
public final class FlinkConf {
    /** Where the JVM option list lives: every Vigil JVM reads it or is checked against it. */
    public static final String JVM_OPTIONS_RESOURCE = "/io/vigil/deploy/jvm.options";

    /**
     * The JVM options of every Vigil JVM ({@value #JVM_OPTIONS_RESOURCE}): Flink's own list for Java 17 plus the Vector
     * API module the selective scan runs on.
     */
    public static final List<String> JVM_OPTIONS = readJvmOptions();

    /**
     * Classes of libraries with native code that must come from the TaskManager's classpath, never from a job's
     * class loader: a JNI library loads into one class loader per JVM, so a restarted job's fresh class loader could
     * not load ONNX Runtime or OpenCV again.
     */
    public static final String PARENT_FIRST = "ai.onnxruntime.;org.bytedeco.";

    private FlinkConf() {}

    /** The settings, in the order written. */
    static Map<String, String> settings(ClusterOptions o, int jobManagerRpcPort) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jobmanager.rpc.address", "127.0.0.1");
        m.put("jobmanager.rpc.port", Integer.toString(jobManagerRpcPort));
        m.put("jobmanager.bind-host", "127.0.0.1");
        m.put("jobmanager.memory.process.size", o.jobManagerMemory());
        m.put("taskmanager.bind-host", "127.0.0.1");
        m.put("taskmanager.host", "127.0.0.1");
        m.put("taskmanager.numberOfTaskSlots", Integer.toString(o.slotsPerTaskManager()));
        m.put("taskmanager.memory.process.size", o.taskManagerMemory());
        // The hashmap state backend keeps state on the heap; managed memory would sit unused.
        m.put("taskmanager.memory.managed.fraction", "0.05");
        m.put("rest.address", "127.0.0.1");
        m.put("rest.bind-address", "127.0.0.1");
        m.put("rest.port", Integer.toString(o.restPort()));
        m.put("state.backend.type", "hashmap");
        m.put("execution.checkpointing.dir", o.checkpointDir().toUri().toString());
        m.put("execution.checkpointing.savepoint-dir", o.savepointDir().toUri().toString());
        m.put("restart-strategy.type", "fixed-delay");
        m.put("restart-strategy.fixed-delay.attempts", "1000");
        m.put("restart-strategy.fixed-delay.delay", "2 s");
        // A killed TaskManager is declared lost after this long, and its slots freed for the replacement.
        m.put("heartbeat.interval", "2000");
        m.put("heartbeat.timeout", "10000");
        m.put("classloader.parent-first-patterns.additional", PARENT_FIRST);
        // every process serves its metrics (the job's among the TaskManagers') to Prometheus, the first free port of the range
        new java.util.TreeMap<>(io.vigil.deploy.ops.FlinkPrometheus.settings(io.vigil.deploy.ops.FlinkPrometheus.PORT_RANGE)).forEach(m::put);
        m.put("env.java.opts.all", String.join(" ", JVM_OPTIONS));
        return m;
    }

    /** Writes conf/config.yaml and conf/log4j.properties. */
    public static void write(ClusterOptions o, int jobManagerRpcPort) {
        try {
            Files.createDirectories(o.confDir());
            StringBuilder y = new StringBuilder("# Written by `vigil cluster start`: a local standalone Flink 2.x cluster on loopback.\n");
            for (Map.Entry<String, String> e : settings(o, jobManagerRpcPort).entrySet()) {
                y.append(e.getKey()).append(": ").append(quote(e.getValue())).append('\n');
            }
            Files.writeString(o.confDir().resolve("config.yaml"), y);
            Files.writeString(o.confDir().resolve("log4j.properties"), """
                    # Each process logs to the file named by -Dlog.file.
                    rootLogger.level = INFO
                    rootLogger.appenderRef.file.ref = MainAppender
                    appender.main.name = MainAppender
                    appender.main.type = File
                    appender.main.fileName = ${sys:log.file}
                    appender.main.append = true
                    appender.main.layout.type = PatternLayout
                    appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
                    logger.kafka.name = org.apache.kafka
                    logger.kafka.level = WARN
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster config in " + o.confDir(), e);
        }
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:;=-]+") ? v : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<String> readJvmOptions() {
        try (InputStream in = FlinkConf.class.getResourceAsStream(JVM_OPTIONS_RESOURCE)) {
            if (in == null) throw new IllegalStateException(JVM_OPTIONS_RESOURCE + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + JVM_OPTIONS_RESOURCE, e);
        }
    }
}
