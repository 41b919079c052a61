package io.vigil.deploy.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a local standalone Flink cluster is made of: where it keeps its config, logs, pids and checkpoints, its REST
 * port, how many TaskManagers with how many slots, and the classpath its JVMs run on (the equivalent of a Flink
 * distribution's {@code lib/}). Immutable; {@link #builder()} validates and names the bad setting.
 */
public final class ClusterOptions {
    private final Path dir;
    private final int restPort;
    private final int taskManagers;
    private final int slotsPerTaskManager;
    private final String taskManagerMemory;
    private final String jobManagerMemory;
    private final List<Path> libClasspath;
    private final Map<String, String> systemProperties;

    private ClusterOptions(Builder b) {
        this.dir = b.dir.toAbsolutePath().normalize();
        this.restPort = b.restPort;
        this.taskManagers = b.taskManagers;
        this.slotsPerTaskManager = b.slotsPerTaskManager;
        this.taskManagerMemory = b.taskManagerMemory;
        this.jobManagerMemory = b.jobManagerMemory;
        this.libClasspath = List.copyOf(b.libClasspath);
        this.systemProperties = Collections.unmodifiableMap(new TreeMap<>(b.systemProperties));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster's home: conf/, log/, pids/, checkpoints/, savepoints/. */
    public Path dir() { return dir; }
    public int restPort() { return restPort; }
    public int taskManagers() { return taskManagers; }
    public int slotsPerTaskManager() { return slotsPerTaskManager; }
    /** {@code taskmanager.memory.process.size}, e.g. 1600m. */
    public String taskManagerMemory() { return taskManagerMemory; }
    /** {@code jobmanager.memory.process.size}. */
    public String jobManagerMemory() { return jobManagerMemory; }
    public List<Path> libClasspath() { return libClasspath; }
    /** -D properties for every JVM of the cluster (e.g. vigil.shared, where catalogue models are looked up). */
    public Map<String, String> systemProperties() { return systemProperties; }

    public Path confDir() { return dir.resolve("conf"); }
    public Path logDir() { return dir.resolve("log"); }
    public Path pidDir() { return dir.resolve("pids"); }
    public Path checkpointDir() { return dir.resolve("checkpoints"); }
    public Path savepointDir() { return dir.resolve("savepoints"); }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    /** Reads a classpath file as Maven's dependency:build-classpath writes it (entries joined by ':'). */
    public static List<Path> readClasspathFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the cluster classpath file " + file + " does not exist: build first (mvn -DskipTests package)");
        }
        try {
            List<Path> out = new ArrayList<>();
            for (String e : Files.readString(file).trim().split(File.pathSeparator)) {
                if (!e.isBlank()) out.add(Path.of(e.trim()));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static final class Builder {
        private Path dir;
        private int restPort = 8081;
        private int taskManagers = 2;
        private int slotsPerTaskManager = 1;
        private String taskManagerMemory = "1600m";
        private String jobManagerMemory = "1024m";
        private List<Path> libClasspath = List.of();
        private final Map<String, String> systemProperties = new TreeMap<>();

        public Builder dir(Path v) { dir = v; return this; }
        public Builder restPort(int v) { restPort = v; return this; }
        public Builder taskManagers(int v) { taskManagers = v; return this; }
        public Builder slotsPerTaskManager(int v) { slotsPerTaskManager = v; return this; }
        public Builder taskManagerMemory(String v) { taskManagerMemory = v; return this; }
        public Builder jobManagerMemory(String v) { jobManagerMemory = v; return this; }
        public Builder libClasspath(List<Path> v) { libClasspath = Objects.requireNonNull(v, "libClasspath"); return this; }

        public Builder systemProperty(String key, String value) {
            if (key == null || !key.matches("[A-Za-z0-9_.-]+")) throw new IllegalArgumentException("bad system property name '" + key + "'");
            systemProperties.put(key, Objects.requireNonNull(value, key));
            return this;
        }

        public ClusterOptions build() {
            if (dir == null) throw new IllegalArgumentException("cluster dir is required");
            if (restPort < 1 || restPort > 65535) throw new IllegalArgumentException("rest port must be 1..65535, got " + restPort);
            if (taskManagers < 0 || taskManagers > 32) throw new IllegalArgumentException("taskmanagers must be 0..32, got " + taskManagers);
            if (slotsPerTaskManager < 1) throw new IllegalArgumentException("slots per TaskManager must be >= 1, got " + slotsPerTaskManager);
            requireMemory("taskmanager memory", taskManagerMemory);
            requireMemory("jobmanager memory", jobManagerMemory);
            if (libClasspath.isEmpty()) throw new IllegalArgumentException("the cluster classpath is empty");
            for (Path p : libClasspath) {
                if (!Files.exists(p)) throw new IllegalArgumentException("cluster classpath entry " + p + " does not exist");
            }
            return new ClusterOptions(this);
        }

        private static void requireMemory(String what, String v) {
            if (v == null || !v.matches("\\d+[mMgG]")) throw new IllegalArgumentException(what + " must look like 1600m or 2g, got '" + v + "'");
        }
    }
}
