package io.vigil.deploy.cli;

import io.vigil.flink.config.Durations;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraStats;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.kafka.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gateway", description = {"Run the camera gateway: it follows vigil.cameras and streams every subscribed camera",
        "to vigil.frames, reporting to vigil.camera-status. Ctrl-C stops it."})
final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--seq-dir", description = "where seq numbers persist across restarts (default ~/.vigil/gateway)")
    Path seqDir;

    @Option(names = "--stall-timeout", defaultValue = "5s", description = "no frame for this long = stalled (default ${DEFAULT-VALUE})")
    String stall;

    @Option(names = "--kafka-property", description = {"Kafka client setting KEY=VALUE, repeatable (security.protocol, sasl.*, ssl.*);",
            "the environment variable VIGIL_KAFKA_SASL_JAAS sets sasl.jaas.config without putting it on the command line"})
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Mixin
    SourcePolicyOptions sources;

    /** The client settings every producer and consumer of the gateway gets; values are never printed. */
    Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        String jaas = System.getenv("VIGIL_KAFKA_SASL_JAAS");
        if (jaas != null && !jaas.isBlank()) p.put("sasl.jaas.config", jaas);
        for (String k : p.stringPropertyNames()) {
            if (k.equals("bootstrap.servers") || k.equals("client.id")) throw new IllegalArgumentException("--kafka-property " + k + " is set by Vigil itself");
        }
        return p;
    }

    @Override
    public Integer call() throws Exception {
        Path seqs = seqDir != null ? seqDir : Path.of(System.getProperty("user.home"), ".vigil", "gateway");
        GatewayOptions opts = GatewayOptions.defaults().withSeqDir(seqs)
                .withStallTimeout(Durations.parse("stall-timeout", stall)).withSourcePolicy(sources.policy());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        Properties client = clientProperties();
        try (KafkaStatusSink status = new KafkaStatusSink(bootstrap, client);
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bootstrap, Topics.FRAMES, client), status, opts);
             AutoCloseable follow = CameraRegistry.follow(bootstrap, client, gw)) {
            System.out.println("vigil gateway: following vigil.cameras on " + bootstrap
                    + (client.isEmpty() ? "" : " with client settings " + client.stringPropertyNames()) + "; Ctrl-C to stop");
            while (!stop.await(10, TimeUnit.SECONDS)) {
                for (CameraStats s : gw.stats()) {
                    System.out.printf(Locale.ROOT, "%-20s %-12s published %7d  dropped %5d  reconnects %3d  %5.1f fps%n",
                            s.camera(), s.state(), s.published(), s.dropped(), s.reconnects(), s.fps());
                }
            }
        }
        return 0;
    }
}
