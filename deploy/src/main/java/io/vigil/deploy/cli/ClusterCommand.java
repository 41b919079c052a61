package io.vigil.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.cluster.ClusterOptions;
import io.vigil.deploy.cluster.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster", description = "A local standalone Flink cluster (1 JobManager + N TaskManagers as separate JVMs on loopback).",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class, ClusterCommand.Submit.class,
                ClusterCommand.AddTaskManager.class})
final class ClusterCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Where the cluster lives and what it runs on; the same flags for every subcommand. */
    static final class Where {
        @Option(names = "--dir", description = "the cluster's config, logs, pids and checkpoints (default ~/.vigil/cluster)")
        Path dir;

        @Option(names = "--rest-port", defaultValue = "8081", description = "JobManager REST port (default ${DEFAULT-VALUE})")
        int restPort;

        @Option(names = "--lib-classpath", description = "file listing the cluster's jars (default deploy/target/flink-lib-classpath.txt)")
        Path libClasspath;

        ClusterOptions.Builder options() {
            Path home = Path.of(System.getProperty("vigil.home", "."));
            Path cp = libClasspath != null ? libClasspath : home.resolve("deploy/target/flink-lib-classpath.txt");
            ClusterOptions.Builder b = ClusterOptions.builder().dir(dir != null ? dir : Path.of(System.getProperty("user.home"), ".vigil", "cluster"))
                    .restPort(restPort).libClasspath(ClusterOptions.readClasspathFile(cp));
            // Catalogue models by name resolve on the cluster as they do here.
            String shared = System.getProperty("vigil.shared");
            if (shared != null) b.systemProperty("vigil.shared", Path.of(shared).toAbsolutePath().normalize().toString());
            return b;
        }
    }

    @Command(name = "start", description = "Start the JobManager and the TaskManagers; returns once all have registered.")
    static final class Start implements Callable<Integer> {
        @Mixin Where where;

        @Option(names = "--taskmanagers", defaultValue = "2", description = "(default ${DEFAULT-VALUE})")
        int taskManagers;

        @Option(names = "--slots", defaultValue = "1", description = "task slots per TaskManager (default ${DEFAULT-VALUE})")
        int slots;

        @Option(names = "--tm-memory", defaultValue = "1600m", description = "taskmanager.memory.process.size (default ${DEFAULT-VALUE})")
        String tmMemory;

        @Override
        public Integer call() {
            LocalCluster c = new LocalCluster(where.options().taskManagers(taskManagers).slotsPerTaskManager(slots).taskManagerMemory(tmMemory).build());
            long t0 = System.nanoTime();
            c.start(Duration.ofSeconds(90));
            System.out.printf("Flink cluster up in %.1f s: REST %s, %d TaskManager(s) x %d slot(s); config %s, logs %s%n",
                    (System.nanoTime() - t0) / 1e9, c.options().restUrl(), taskManagers, slots, c.options().confDir(), c.options().logDir());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop every process of the cluster.")
    static final class Stop implements Callable<Integer> {
        @Mixin Where where;

        @Override
        public Integer call() {
            LocalCluster c = new LocalCluster(where.options().build());
            int n = c.pids().size();
            c.stop();
            System.out.println(n == 0 ? "no cluster processes in " + c.options().dir() : "stopped " + n + " process(es)");
            return 0;
        }
    }

    @Command(name = "status", description = {"The cluster's processes, TaskManagers, slots and jobs, each job's health from Flink's REST API",
            "(state, tasks running, latest checkpoint's age). Exit code 0 when every job is healthy, 1 when no JobManager answers,",
            "2 when a job is not (failing, restarting, a task not running)."})
    static final class Status implements Callable<Integer> {
        @Mixin Where where;

        @Override
        public Integer call() throws Exception {
            LocalCluster c = new LocalCluster(where.options().build());
            for (Map.Entry<String, Long> e : c.pids().entrySet()) {
                boolean alive = ProcessHandle.of(e.getValue()).map(ProcessHandle::isAlive).orElse(false);
                System.out.printf("%-16s pid %-8d %s%n", e.getKey(), e.getValue(), alive ? "running" : "gone");
            }
            var o = c.rest().overview();
            if (o.isEmpty()) {
                System.out.println("no JobManager answers on " + c.options().restUrl());
                return 1;
            }
            JsonNode ov = o.get();
            System.out.printf("REST %s: %d TaskManager(s), slots %d free of %d, jobs running %d, finished %d, failed %d%n",
                    c.options().restUrl(), ov.path("taskmanagers").asInt(), ov.path("slots-available").asInt(), ov.path("slots-total").asInt(),
                    ov.path("jobs-running").asInt(), ov.path("jobs-finished").asInt(), ov.path("jobs-failed").asInt());
            boolean healthy = true;
            for (JsonNode j : c.rest().jobs()) {
                String id = j.path("jid").asText();
                String state = j.path("state").asText();
                if (state.equals("CANCELED")) continue; // stopped on purpose: history, not health
                var h = c.rest().health(id);
                healthy &= h.healthy();
                String why = h.healthy() ? "" : c.rest().lastFailure(id).map(f -> "  last failure: " + f).orElse("");
                System.out.printf("job %s %-8s %s: %s%s%n", id, h.healthy() ? "healthy" : "UNHEALTHY", j.path("name").asText(), h.describe(), why);
            }
            System.out.println("metrics: each process serves Prometheus on the first free port of " + io.vigil.deploy.ops.FlinkPrometheus.PORT_RANGE + " (/metrics)");
            return healthy ? 0 : 2;
        }
    }

    @Command(name = "submit", description = "Submit the Vigil job jar with Flink's CLI (flink run -d) over REST; prints the job id. "
            + "Job flags follow --, e.g. -- --config vigil.yaml")
    static final class Submit implements Callable<Integer> {
        @Mixin Where where;

        @Option(names = "--jar", description = "job jar (default flink-jobs/target/vigil-job.jar)")
        Path jar;

        @Option(names = "--class", defaultValue = "io.vigil.flink.VideoAnalyticsJob", description = "(default ${DEFAULT-VALUE})")
        String mainClass;

        @Parameters(description = "the job's flags (JobConfig), e.g. --config vigil.yaml")
        List<String> jobArgs = new ArrayList<>();

        @Override
        public Integer call() {
            LocalCluster c = new LocalCluster(where.options().build());
            Path j = jar != null ? jar : Path.of(System.getProperty("vigil.home", ".")).resolve("flink-jobs/target/vigil-job.jar");
            String id = c.submit(j, mainClass, jobArgs, Duration.ofMinutes(3));
            System.out.println("submitted job " + id + " (" + c.options().restUrl() + "/jobs/" + id + ")");
            return 0;
        }
    }

    @Command(name = "add-taskmanager", description = "Start one more TaskManager (e.g. to replace a lost one).")
    static final class AddTaskManager implements Callable<Integer> {
        @Mixin Where where;

        @Override
        public Integer call() {
            LocalCluster c = new LocalCluster(where.options().build());
            int before = c.rest().overview().map(o -> o.path("taskmanagers").asInt()).orElseThrow(
                    () -> new IllegalStateException("no JobManager answers on " + c.options().restUrl()));
            int i = c.startTaskManager();
            c.awaitTaskManagers(before + 1, Duration.ofSeconds(60));
            System.out.println("taskmanager-" + i + " registered");
            return 0;
        }
    }
}
