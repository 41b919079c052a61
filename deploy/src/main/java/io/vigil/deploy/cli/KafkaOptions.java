package io.vigil.deploy.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * How every command reaches Kafka: {@code --bootstrap}, {@code --kafka-property KEY=VALUE} (security.protocol, sasl.*,
 * ssl.*) and {@code VIGIL_KAFKA_SASL_JAAS}, which sets {@code sasl.jaas.config} without putting a secret on the
 * command line (where {@code ps} shows it). One mixin, so every command takes the same options.
 */
public final class KafkaOptions {
    /** The environment variable holding {@code sasl.jaas.config}. */
    public static final String SASL_JAAS_ENV = "VIGIL_KAFKA_SASL_JAAS";

    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE", description = {"Kafka client setting, repeatable (security.protocol, sasl.*, ssl.*);",
            "the environment variable " + SASL_JAAS_ENV + " sets sasl.jaas.config without putting it on the command line"})
    Map<String, String> properties = new LinkedHashMap<>();

    public String bootstrap() {
        return bootstrap;
    }

    /** The client settings every producer, consumer and admin client of the command gets; values are never printed. */
    public Properties clientProperties() {
        return clientProperties(properties, System.getenv(SASL_JAAS_ENV));
    }

    static Properties clientProperties(Map<String, String> properties, String jaas) {
        Properties p = new Properties();
        p.putAll(properties);
        if (jaas != null && !jaas.isBlank()) p.put("sasl.jaas.config", jaas);
        for (String k : p.stringPropertyNames()) {
            if (k.equals("bootstrap.servers") || k.equals("client.id")) throw new IllegalArgumentException("--kafka-property " + k + " is set by Vigil itself");
        }
        return p;
    }
}
