package io.vigil.deploy.cli;

import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.deploy.kafka.LocalKafkaCluster;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kafka", description = {"Run the embedded Kafka broker alone (for a gateway and a job started separately), or with",
        "--brokers N a cluster of N KRaft nodes, each its own JVM on loopback, Vigil's topics replicated on 3 of them",
        "(min.insync.replicas 2): the setup a production cluster has, to try failover on one machine."})
final class KafkaCommand implements Callable<Integer> {
    @Option(names = "--port", description = "client port (default ${DEFAULT-VALUE})", defaultValue = "9092")
    int port;

    @Option(names = "--data-dir", description = "log directory, kept across restarts (default ~/.vigil/kafka)")
    Path dataDir;

    @Option(names = "--partitions", description = "partitions of the frames and event topics (default ${DEFAULT-VALUE})", defaultValue = "4")
    int partitions;

    @Option(names = "--brokers", description = "nodes of the cluster (default ${DEFAULT-VALUE}: one broker in this JVM)", defaultValue = "1")
    int brokers;

    @Option(names = "--node-heap", description = "with --brokers: each node's JVM heap (default ${DEFAULT-VALUE})", defaultValue = "512m")
    String nodeHeap;

    @Override
    public Integer call() throws Exception {
        if (brokers < 1) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--brokers: at least 1, got " + brokers);
        if (brokers > 1) return cluster();
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".vigil", "kafka");
        try (StopSignal stop = new StopSignal();
             EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, false)) {
            kafka.createVigilTopics(partitions);
            System.out.println("Kafka broker on " + kafka.bootstrap() + " (data " + kafka.dataDir() + "); Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }

    private int cluster() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".vigil", "kafka-cluster");
        try (StopSignal stop = new StopSignal();
             LocalKafkaCluster cluster = new LocalKafkaCluster(dir, brokers, port, nodeHeap)) {
            cluster.start(partitions, java.time.Duration.ofSeconds(120));
            System.out.println("Kafka cluster of " + brokers + " nodes on " + cluster.bootstrap() + " (topics on " + cluster.replicas()
                    + " replicas, data and logs in " + dir + "); give clients --bootstrap " + cluster.bootstrap() + "; Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }
}
