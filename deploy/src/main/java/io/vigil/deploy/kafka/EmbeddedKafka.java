package io.vigil.deploy.kafka;

import io.vigil.video.kafka.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka 4 broker (KRaft, broker + controller in one) running inside this JVM, on loopback.
 * Formats its data directory on first start and reuses it afterwards, so a restart on the same directory
 * keeps every topic and committed record.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    public static final int DEFAULT_PORT = 9092;
    /** The SASL mechanism of a secured broker. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    /**
     * A broker that requires SASL/SCRAM logins and authorizes with ACLs (KRaft's StandardAuthorizer, nothing allowed
     * without an ACL). {@code admin} is the super user the broker and {@link #admin()} use; {@code users} are the other
     * logins, whose credentials are written into the metadata log when the directory is formatted.
     */
    public record Security(String admin, String adminPassword, Map<String, String> users) {
        public Security {
            users = Map.copyOf(users);
        }
    }

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final int controllerPort;
    private final Security security;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port, int controllerPort, Security security) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.controllerPort = controllerPort;
        this.security = security;
    }

    /**
     * @param dataDir  where the log lives; null for a temporary directory deleted on close
     * @param port     the client port; 0 for any free port
     * @param anyPortIfBusy when {@code port} is taken, take a free one instead (and say so) rather than fail
     */
    public static EmbeddedKafka start(Path dataDir, int port, boolean anyPortIfBusy) {
        return start(dataDir, port, anyPortIfBusy, -1);
    }

    /** As {@link #start(Path, int, boolean)}, reusing a controller port (needed to restart on the same data). */
    public static EmbeddedKafka start(Path dataDir, int port, boolean anyPortIfBusy, int controllerPort) {
        return start(dataDir, port, anyPortIfBusy, controllerPort, null);
    }

    /** A broker on a free port that requires SASL/SCRAM and ACLs ({@code security}); a temporary directory. */
    public static EmbeddedKafka startSecured(Security security) {
        return start(null, 0, false, -1, security);
    }

    /**
     * One node of a cluster of {@code voters}' nodes (each broker and controller in one), in this JVM: its data in
     * {@code dataDir} (formatted on first start with the cluster's id, reused after), its client port {@code port},
     * internal topics replicated {@code replicas} times. The node is ready once the cluster has a controller quorum.
     *
     * @param voters the controller quorum, {@code id@host:port,...}, this node's controller port among them
     */
    public static EmbeddedKafka startNode(Path dataDir, int nodeId, int port, int controllerPort, String voters, String clusterId, int replicas) {
        try {
            Path dir = Files.createDirectories(dataDir);
            Properties props = properties(dir, port, controllerPort, null);
            props.put("node.id", Integer.toString(nodeId));
            props.put("controller.quorum.voters", voters);
            replicated(props, replicas);
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(dir.resolve("meta.properties"))) format(dir, nodeId, clusterId, null);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka k = new EmbeddedKafka(server, dir, false, port, controllerPort, null);
            k.awaitReady();
            LOG.info("Kafka node {} of cluster {} listening on {} (data {})", nodeId, clusterId, k.bootstrap(), dir);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka node " + nodeId + ": " + e.getMessage(), e);
        }
    }

    /** What a replicated cluster needs: the internal topics on {@code replicas} nodes, writes acknowledged by 2 of 3. */
    private static void replicated(Properties p, int replicas) {
        String rf = Integer.toString(replicas);
        String isr = Integer.toString(Math.max(1, replicas - 1));
        p.put("offsets.topic.replication.factor", rf);
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", isr);
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("default.replication.factor", rf);
        p.put("min.insync.replicas", isr);
        p.put("unclean.leader.election.enable", "false");
    }

    private static EmbeddedKafka start(Path dataDir, int port, boolean anyPortIfBusy, int controllerPort, Security security) {
        boolean temp = dataDir == null;
        try {
            Path dir = temp ? Files.createTempDirectory("vigil-kafka") : Files.createDirectories(dataDir);
            int p = port;
            if (p == 0) {
                p = freePort();
            } else if (!portFree(p)) {
                if (!anyPortIfBusy) throw new IllegalStateException("port " + p + " on 127.0.0.1 is in use (another broker or demo running?)");
                int taken = freePort();
                LOG.warn("port {} is in use; the embedded Kafka broker takes port {} instead", p, taken);
                p = taken;
            }
            int cport = controllerPort > 0 ? controllerPort : readControllerPort(dir);
            if (cport <= 0 || !portFree(cport)) cport = freePort();
            Properties props = properties(dir, p, cport, security);
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(dir.resolve("meta.properties"))) format(dir, 1, Uuid.randomUuid().toString(), security);
            Files.writeString(dir.resolve("vigil-controller.port"), Integer.toString(cport));
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka k = new EmbeddedKafka(server, dir, temp, p, cport, security);
            k.awaitReady();
            LOG.info("embedded Kafka broker listening on {}{} (data {})", k.bootstrap(), security == null ? "" : " (SASL/SCRAM, ACLs)", dir);
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    private static Properties properties(Path dir, int port, int cport, Security security) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + cport);
        String client = security == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("listeners", client + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + cport);
        p.put("advertised.listeners", client + "://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        if (security != null) {
            p.put("sasl.enabled.mechanisms", MECHANISM);
            p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
            p.put("listener.name.sasl_plaintext." + MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                    jaas(security.admin(), security.adminPassword()));
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // ANONYMOUS is the broker itself on the controller listener, which stays PLAINTEXT on loopback: every client
            // listener is SASL, so no client is ever ANONYMOUS there
            p.put("super.users", "User:" + security.admin() + ";User:ANONYMOUS");
            p.put("allow.everyone.if.no.acl.found", "false");
        }
        p.put("log.dirs", dir.toString());
        p.put("metadata.log.dir", dir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // Frames are JPEGs of up to a few MB at high resolutions.
        p.put("message.max.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES));
        p.put("log.retention.hours", "24");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    private static void format(Path dir, int nodeId, String clusterId, Security security) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> scram = new ArrayList<>();
        if (security != null) {
            scram.add(MECHANISM + "=[name=" + security.admin() + ",password=" + security.adminPassword() + "]");
            security.users().forEach((u, pw) -> scram.add(MECHANISM + "=[name=" + u + ",password=" + pw + "]"));
        }
        try {
            new Formatter()
                    .setScramArguments(scram)
                    .setPrintStream(new PrintStream(out, true))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(nodeId)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    // transaction protocol v2 makes Flink's KafkaSink log a false data-loss error on every recovery
                    .setFeatureLevel("transaction.version", (short) 1)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting the Kafka data directory " + dir + " failed: " + e.getMessage() + " " + out, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", ie);
                }
            }
        }
        throw new IllegalStateException("embedded Kafka broker did not become ready on " + bootstrap(), last);
    }

    /** The JAAS line of a SCRAM login (its password is a secret: never log it). */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** The client settings a Kafka client of this broker needs for {@code user} (empty for an unsecured broker). */
    public Properties clientProperties(String user, String password) {
        Properties p = new Properties();
        if (security == null) return p;
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(user, password));
        return p;
    }

    public Admin admin() {
        Properties p = security == null ? new Properties() : clientProperties(security.admin(), security.adminPassword());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(p);
    }

    /** Creates Vigil's topics if they do not exist yet; frames and events get {@code partitions} partitions. */
    public void createVigilTopics(int partitions) {
        createVigilTopics(bootstrap(), partitions, security == null ? new Properties() : clientProperties(security.admin(), security.adminPassword()));
    }

    public static void createVigilTopics(String bootstrap, int partitions) {
        createVigilTopics(bootstrap, partitions, new Properties());
    }

    public static void createVigilTopics(String bootstrap, int partitions, Properties client) {
        createVigilTopics(bootstrap, partitions, client, 1);
    }

    /**
     * Vigil's topics on a cluster: each partition on {@code replicas} nodes and, when replicated, a write acknowledged
     * only once {@code replicas - 1} of them have it ({@code min.insync.replicas}), so one node can fail without a
     * committed record lost or writes refused.
     */
    public static void createVigilTopics(String bootstrap, int partitions, Properties client, int replicas) {
        short rf = (short) replicas;
        Map<String, String> isr = replicas > 1 ? Map.of("min.insync.replicas", Integer.toString(replicas - 1)) : Map.of();
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(Topics.FRAMES, partitions, rf).configs(with(isr,
                "max.message.bytes", Integer.toString(Topics.FRAMES_MAX_MESSAGE_BYTES), "retention.ms", Long.toString(TimeUnit.HOURS.toMillis(1)))));
        topics.add(new NewTopic(Topics.CAMERAS, 1, rf).configs(with(isr, "cleanup.policy", "compact")));
        topics.add(new NewTopic(Topics.CAMERA_STATUS, 1, rf).configs(isr));
        topics.add(new NewTopic(Topics.DETECTIONS, partitions, rf).configs(isr));
        topics.add(new NewTopic(Topics.ACTIONS, partitions, rf).configs(isr));
        topics.add(new NewTopic(Topics.DEADLETTER, 1, rf).configs(isr));
        topics.add(new NewTopic(Topics.RULES, 1, rf).configs(with(isr, "cleanup.policy", "compact")));
        topics.add(new NewTopic(Topics.ANALYTICS, partitions, rf).configs(isr));
        topics.add(new NewTopic(Topics.COUNTS, partitions, rf).configs(isr));
        topics.add(new NewTopic(Topics.GATEWAY_SEQ, Topics.GATEWAY_SLOTS, rf).configs(with(isr, "cleanup.policy", "compact")));
        Properties ap = new Properties();
        ap.putAll(client);
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(ap)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) return;
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating Vigil's topics on " + bootstrap + " failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) deleteTree(dataDir);
    }

    private static int readControllerPort(Path dir) {
        try {
            Path f = dir.resolve("vigil-controller.port");
            return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
