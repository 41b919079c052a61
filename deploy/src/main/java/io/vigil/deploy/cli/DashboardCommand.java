package io.vigil.deploy.cli;

import io.vigil.deploy.dashboard.DashboardServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dashboard", description = "Serve the live dashboard: every camera's frames with boxes, tracks, actions, status, fps, latency and counts.")
final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to serve on (default ${DEFAULT-VALUE}: this machine only)")
    String bind;

    @Option(names = "--port", defaultValue = "8090", description = "(default ${DEFAULT-VALUE}; 0 = any free port)")
    int port;

    @Option(names = "--kafka-property", description = "client setting key=value, repeatable (security.protocol, sasl.*, ssl.*)")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Properties client = new Properties();
        client.putAll(kafkaProperties);
        CountDownLatch stop = new CountDownLatch(1);
        try (DashboardServer server = DashboardServer.start(bootstrap, client, bind, port)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println("dashboard on " + server.url() + " (Kafka " + bootstrap + "); Ctrl-C to stop");
            stop.await();
        }
        return 0;
    }
}
