package io.vigil.deploy.cli;

import io.vigil.deploy.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kafka", description = "Run the embedded Kafka broker alone (for a gateway and a job started separately).")
final class KafkaCommand implements Callable<Integer> {
    @Option(names = "--port", description = "client port (default ${DEFAULT-VALUE})", defaultValue = "9092")
    int port;

    @Option(names = "--data-dir", description = "log directory, kept across restarts (default ~/.vigil/kafka)")
    Path dataDir;

    @Option(names = "--partitions", description = "partitions of the frames and event topics (default ${DEFAULT-VALUE})", defaultValue = "4")
    int partitions;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".vigil", "kafka");
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, false)) {
            kafka.createVigilTopics(partitions);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println("Kafka broker on " + kafka.bootstrap() + " (data " + kafka.dataDir() + "); Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }
}
