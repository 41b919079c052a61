package io.vigil.deploy.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of {@code n} KRaft nodes (each broker and controller in one) on loopback, each its own JVM
 * ({@link KafkaNodeMain}) from this JVM's classpath, so one can be SIGKILLed and started again on its data. Its id,
 * ports and data live under one directory: starting it again on that directory brings back the same cluster.
 * Vigil's topics are created replicated on 3 nodes (or {@code n} when fewer) with {@code min.insync.replicas} one less.
 */
public final class LocalKafkaCluster implements AutoCloseable {
    private final Path dir;
    private final int[] ports;
    private final int[] controllerPorts;
    private final String clusterId;
    private final int replicas;
    private final Process[] nodes;
    private final String heap;

    /**
     * @param firstPort the first node's client port (the others take the next ones); 0 for free ports
     */
    public LocalKafkaCluster(Path dir, int n, int firstPort, String heap) throws IOException {
        if (n < 1) throw new IllegalArgumentException("brokers: at least 1, got " + n);
        this.dir = Files.createDirectories(dir);
        this.heap = heap;
        this.ports = new int[n];
        this.controllerPorts = new int[n];
        this.nodes = new Process[n];
        this.replicas = Math.min(3, n);
        Path layout = dir.resolve("cluster.properties");
        Properties saved = new Properties();
        if (Files.exists(layout)) {
            try (var in = Files.newInputStream(layout)) {
                saved.load(in);
            }
            if (Integer.parseInt(saved.getProperty("nodes")) != n) {
                throw new IllegalArgumentException("brokers: the cluster in " + dir + " has " + saved.getProperty("nodes") + " nodes, not " + n);
            }
        }
        clusterId = saved.getProperty("cluster.id", Uuid.randomUuid().toString());
        for (int i = 0; i < n; i++) {
            ports[i] = Integer.parseInt(saved.getProperty("port." + i, Integer.toString(firstPort > 0 ? firstPort + i : EmbeddedKafka.freePort())));
            controllerPorts[i] = Integer.parseInt(saved.getProperty("controller.port." + i, Integer.toString(EmbeddedKafka.freePort())));
            saved.setProperty("port." + i, Integer.toString(ports[i]));
            saved.setProperty("controller.port." + i, Integer.toString(controllerPorts[i]));
        }
        saved.setProperty("nodes", Integer.toString(n));
        saved.setProperty("cluster.id", clusterId);
        try (var out = Files.newOutputStream(layout)) {
            saved.store(out, "a local Kafka cluster of Vigil: its id and ports, kept so that it starts again on its data");
        }
    }

    /** Starts every node, waits until all serve, creates Vigil's topics with {@code partitions} partitions. */
    public LocalKafkaCluster start(int partitions, Duration timeout) {
        for (int i = 0; i < nodes.length; i++) launch(i);
        for (int i = 0; i < nodes.length; i++) awaitReady(i, timeout);
        EmbeddedKafka.createVigilTopics(bootstrap(), partitions, new Properties(), replicas);
        return this;
    }

    private void launch(int i) {
        StringBuilder voters = new StringBuilder();
        for (int j = 0; j < nodes.length; j++) voters.append(j == 0 ? "" : ",").append(j + 1).append("@127.0.0.1:").append(controllerPorts[j]);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-cp", System.getProperty("java.class.path"), KafkaNodeMain.class.getName(), dir.resolve("node-" + (i + 1)).toString(),
                Integer.toString(i + 1), Integer.toString(ports[i]), Integer.toString(controllerPorts[i]), voters.toString(), clusterId,
                Integer.toString(replicas)));
        try {
            Path log = dir.resolve("node-" + (i + 1) + ".log");
            nodes[i] = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka node " + (i + 1) + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(int i, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path log = dir.resolve("node-" + (i + 1) + ".log");
        while (System.nanoTime() < deadline) {
            if (!nodes[i].isAlive()) throw new IllegalStateException("Kafka node " + (i + 1) + " exited with " + nodes[i].exitValue() + "; its log: " + log);
            try {
                if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(KafkaNodeMain.READY + ports[i])) return;
                Thread.sleep(200);
            } catch (IOException e) {
                // being written; read again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Kafka node " + (i + 1) + " started", e);
            }
        }
        throw new IllegalStateException("Kafka node " + (i + 1) + " did not serve on port " + ports[i] + " within " + timeout + "; its log: " + log);
    }

    /** Every node's client address, as a client's {@code bootstrap.servers}. */
    public String bootstrap() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ports.length; i++) b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports[i]);
        return b.toString();
    }

    public int replicas() {
        return replicas;
    }

    /** SIGKILLs node {@code id} (1-based, as its {@code node.id}): no clean shutdown, no flush. */
    public void kill(int id) throws InterruptedException {
        Process p = nodes[id - 1];
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("Kafka node " + id + " did not die");
    }

    /** Starts node {@code id} again on its data and ports, and waits until it serves. */
    public void restart(int id, Duration timeout) {
        if (nodes[id - 1].isAlive()) throw new IllegalStateException("Kafka node " + id + " is running");
        launch(id - 1);
        awaitReady(id - 1, timeout);
    }

    /** The node id that leads each partition of {@code topic} (-1 where none does), and the in-sync replicas' count. */
    public Map<Integer, int[]> leaders(String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(p)) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            Map<Integer, int[]> out = new java.util.TreeMap<>();
            for (TopicPartitionInfo tp : d.partitions()) {
                Node leader = tp.leader();
                out.put(tp.partition(), new int[] {leader == null || leader.isEmpty() ? -1 : leader.id(), tp.isr().size()});
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic + " on " + bootstrap() + ": " + e.getMessage(), e);
        }
    }

    /** Stops every node (SIGTERM: a clean shutdown), then any that did not stop in 30 s the hard way. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : nodes) if (p != null) p.destroy();
        for (Process p : nodes) {
            if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
