package io.vigil.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.flink.config.JobConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A standalone Flink session cluster on loopback, from the project's jars instead of a Flink distribution: one
 * JobManager and N TaskManagers, each its own JVM started the way Flink's scripts start them, logging to
 * {@code log/} and recorded in {@code pids/} so that another process ({@code vigil cluster stop}) can find them.
 * Jobs are submitted with Flink's own CLI ({@code flink run}) over REST, exactly as on a real installation.
 */
public final class LocalCluster {
    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String CLI = "org.apache.flink.client.cli.CliFrontend";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final ClusterOptions options;
    private final FlinkRest rest;

    public LocalCluster(ClusterOptions options) {
        this.options = options;
        this.rest = new FlinkRest(options.restUrl());
    }

    public ClusterOptions options() { return options; }
    public FlinkRest rest() { return rest; }

    /** Writes conf/, starts the JobManager and the TaskManagers, and waits until all have registered. */
    public void start(Duration timeout) {
        if (rest.overview().isPresent()) {
            throw new IllegalStateException("something already answers on " + options.restUrl() + ": is a cluster running? (vigil cluster status)");
        }
        try {
            Files.createDirectories(options.logDir());
            Files.createDirectories(options.pidDir());
            Files.createDirectories(options.checkpointDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + options.dir(), e);
        }
        FlinkConf.write(options, freePort());
        List<String> jm = new ArrayList<>(resourceParams("GET_JM_RESOURCE_PARAMS").jvm());
        spawn("jobmanager", JOB_MANAGER, jm, List.of("--configDir", options.confDir().toString()));
        for (int i = 0; i < options.taskManagers(); i++) startTaskManager();
        awaitTaskManagers(options.taskManagers(), timeout);
    }

    /** Starts one more TaskManager (e.g. to replace a lost one); returns its index. */
    public int startTaskManager() {
        int index = nextTaskManagerIndex();
        ResourceParams p = resourceParams("GET_TM_RESOURCE_PARAMS");
        List<String> args = new ArrayList<>(List.of("--configDir", options.confDir().toString(),
                "-D", "taskmanager.resource-id=tm-" + index));
        args.addAll(p.dynamicProperties());
        spawn("taskmanager-" + index, TASK_MANAGER, p.jvm(), args);
        return index;
    }

    /** Waits until this many TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> o = rest.overview();
            if (o.isPresent() && o.get().path("taskmanagers").asInt() >= count) return;
            checkProcessesAlive();
            sleep(250);
        }
        throw new IllegalStateException("the cluster in " + options.dir() + " did not get " + count + " TaskManagers within "
                + timeout.toSeconds() + " s; see " + options.logDir());
    }

    /** SIGKILL for one TaskManager, as a crashed machine would look; returns when the process is gone. */
    public void killTaskManager(int index) {
        String name = "taskmanager-" + index;
        ProcessHandle p = process(name).orElseThrow(() -> new IllegalStateException(name + " is not running"));
        p.destroyForcibly();
        p.onExit().join();
        // Kept as .killed so that a replacement gets a new index (and a new resource id) while the JobManager may
        // still list the lost one until its heartbeat times out.
        try {
            Files.move(options.pidDir().resolve(name + ".pid"), options.pidDir().resolve(name + ".killed"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The TaskManagers alive, by index. */
    public List<Integer> taskManagers() {
        return pids().keySet().stream().filter(n -> n.startsWith("taskmanager-"))
                .filter(n -> process(n).isPresent())
                .map(n -> Integer.parseInt(n.substring("taskmanager-".length()))).sorted().toList();
    }

    /** Every process of the cluster, alive or recorded dead: name -> pid. */
    public TreeMap<String, Long> pids() {
        TreeMap<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(options.pidDir())) return out;
        try (Stream<Path> s = Files.list(options.pidDir())) {
            for (Path f : s.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String n = f.getFileName().toString();
                out.put(n.substring(0, n.length() - 4), Long.parseLong(Files.readString(f).trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Stops every process of the cluster (TaskManagers first); a no-op when none runs. */
    public void stop() {
        if (!Files.isDirectory(options.pidDir())) return;
        List<String> names = new ArrayList<>(pids().keySet());
        names.sort((a, b) -> a.startsWith("jobmanager") ? 1 : b.startsWith("jobmanager") ? -1 : a.compareTo(b));
        for (String n : names) {
            process(n).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
            deletePid(n);
        }
        try (Stream<Path> s = Files.list(options.pidDir())) {
            for (Path f : s.filter(f -> f.toString().endsWith(".killed")).toList()) Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Submits a job jar with Flink's CLI ({@code flink run -d}, detached) against this cluster's REST endpoint and
     * returns the job id. The CLI runs the jar's main in its own JVM, which builds the job graph and uploads it. Path
     * flags (and the paths inside {@code --config}) are made absolute where the caller stands first: the CLI and the
     * TaskManagers run in the cluster directory. The flags are checked here too, so a bad one fails before submitting.
     */
    public String submit(Path jar, String mainClass, List<String> jobArgs, Duration timeout) {
        if (!Files.isRegularFile(jar)) throw new IllegalArgumentException("job jar " + jar + " does not exist: build first (mvn -DskipTests package)");
        jobArgs = JobConfig.absolutePaths(jobArgs, Path.of("").toAbsolutePath(), options.dir().resolve("submitted"));
        JobConfig.fromArgs(jobArgs.toArray(String[]::new));
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(FlinkConf.JVM_OPTIONS);
        options.systemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-Dlog.file=" + options.logDir().resolve("client.log"),
                "-Dlog4j.configurationFile=" + options.confDir().resolve("log4j.properties").toUri(),
                "-cp", classpath(), CLI, "run", "-d", "-c", mainClass, jar.toAbsolutePath().toString()));
        cmd.addAll(jobArgs);
        Path out = options.logDir().resolve("submit-" + System.currentTimeMillis() + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(options.dir().toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("FLINK_CONF_DIR", options.confDir().toString());
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("flink run did not finish within " + timeout.toSeconds() + " s; see " + out);
            }
            String printed = Files.readString(out);
            Matcher m = JOB_ID.matcher(printed);
            if (p.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException("flink run failed (exit " + p.exitValue() + "): " + tail(printed, 3000));
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the Flink CLI", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while submitting", e);
        }
    }

    /** Waits until the job and all its vertices are RUNNING. */
    public void awaitJobRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "?";
        while (System.nanoTime() < deadline) {
            try {
                if (rest.jobFullyRunning(jobId)) return;
                last = rest.jobState(jobId);
                if (last.equals("FAILED") || last.equals("CANCELED") || last.equals("FINISHED")) break;
            } catch (IOException e) {
                last = e.getMessage();
            }
            sleep(250);
        }
        throw new IllegalStateException("job " + jobId + " is not running (last state " + last + "); see " + options.logDir());
    }

    private void spawn(String name, String mainClass, List<String> jvmFlags, List<String> args) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(FlinkConf.JVM_OPTIONS);
        cmd.addAll(jvmFlags);
        options.systemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-Dlog.file=" + options.logDir().resolve(name + ".log"),
                "-Dlog4j.configurationFile=" + options.confDir().resolve("log4j.properties").toUri(),
                "-cp", classpath(), mainClass));
        cmd.addAll(args);
        // Output to files, not pipes: the processes outlive the command that started them.
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(options.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(options.logDir().resolve(name + ".out").toFile()));
        pb.environment().put("FLINK_CONF_DIR", options.confDir().toString());
        try {
            Process p = pb.start();
            Files.writeString(options.pidDir().resolve(name + ".pid"), Long.toString(p.pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** What Flink's own scripts compute for a process: JVM memory flags and the matching dynamic properties. */
    record ResourceParams(List<String> jvm, List<String> dynamicProperties) {}

    private ResourceParams resourceParams(String command) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(FlinkConf.JVM_OPTIONS);
        cmd.addAll(List.of("-cp", classpath(), BASH_JAVA_UTILS, command, "--configDir", options.confDir().toString()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            List<String> results = out.lines().filter(l -> l.startsWith(RESULT_PREFIX)).map(l -> l.substring(RESULT_PREFIX.length()).trim()).toList();
            if (p.exitValue() != 0 || results.size() < 2) {
                throw new IllegalStateException("Flink could not size the " + (command.contains("TM") ? "TaskManager" : "JobManager")
                        + " from " + options.confDir().resolve("config.yaml") + ": " + tail(out, 2000));
            }
            return new ResourceParams(split(results.get(0)), split(results.get(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void checkProcessesAlive() {
        for (String n : pids().keySet()) {
            if (process(n).isEmpty()) {
                throw new IllegalStateException(n + " exited; see " + options.logDir().resolve(n + ".log") + " and .out: "
                        + tail(read(options.logDir().resolve(n + ".out")), 1500));
            }
        }
    }

    private Optional<ProcessHandle> process(String name) {
        Long pid = pids().get(name);
        return pid == null ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    private int nextTaskManagerIndex() {
        try (Stream<Path> s = Files.list(options.pidDir())) {
            return s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("taskmanager-"))
                    .mapToInt(n -> Integer.parseInt(n.substring("taskmanager-".length(), n.indexOf('.'))) + 1).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deletePid(String name) {
        try {
            Files.deleteIfExists(options.pidDir().resolve(name + ".pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String classpath() {
        return options.libClasspath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
