package io.vigil.deploy.kafka;

import java.nio.file.Path;

/**
 * One node of a {@link LocalKafkaCluster}, as its own JVM: {@code DIR NODE_ID PORT CONTROLLER_PORT VOTERS CLUSTER_ID
 * REPLICAS}. It says {@value #READY} with its port once it serves, and exits when its standard input closes: the
 * cluster that started it is gone (stopped, or killed), so no broker outlives it.
 */
public final class KafkaNodeMain {
    static final String READY = "vigil kafka node ready on port ";

    private KafkaNodeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 7) throw new IllegalArgumentException("usage: DIR NODE_ID PORT CONTROLLER_PORT VOTERS CLUSTER_ID REPLICAS");
        EmbeddedKafka node = EmbeddedKafka.startNode(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), args[4], args[5], Integer.parseInt(args[6]));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println(READY + node.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing is sent on stdin; it only tells this node that its parent is alive
        }
        System.exit(0);
    }
}
