package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KafkaOptionsTest {
    @Test
    void securitySettingsPassThroughAndVigilsOwnAreRefused() {
        GatewayCommand g = new GatewayCommand();
        new CommandLine(g).parseArgs("--kafka-property", "security.protocol=SASL_SSL", "--kafka-property", "sasl.mechanism=SCRAM-SHA-512");
        Properties p = g.kafka.clientProperties();
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.getProperty("sasl.mechanism"));
        assertEquals("127.0.0.1:9092", g.kafka.bootstrap());
        GatewayCommand bad = new GatewayCommand();
        new CommandLine(bad).parseArgs("--kafka-property", "bootstrap.servers=x:1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad.kafka::clientProperties);
        assertTrue(e.getMessage().contains("bootstrap.servers"), e.getMessage());
    }

    @Test
    void theJaasConfigComesFromTheEnvironment() {
        Properties p = KafkaOptions.clientProperties(Map.of("security.protocol", "SASL_SSL"), "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required;", p.getProperty("sasl.jaas.config"));
        assertEquals(null, KafkaOptions.clientProperties(Map.of(), " ").getProperty("sasl.jaas.config"));
    }

    /** Every command that takes --bootstrap takes it from the one mixin: --kafka-property (and so the SASL variable) everywhere. */
    @Test
    void everyKafkaCommandHasTheWholeMixin() {
        List<String> kafkaCommands = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        walk(VigilCli.commandLine(), kafkaCommands, partial);
        assertTrue(kafkaCommands.containsAll(List.of("vigil events", "vigil gateway", "vigil dashboard", "vigil notify", "vigil cameras add",
                "vigil rules list", "vigil snapshot", "vigil clip")), kafkaCommands.toString());
        assertEquals(List.of(), partial);
    }

    private static void walk(CommandLine cl, List<String> kafka, List<String> partial) {
        var spec = cl.getCommandSpec();
        if (spec.findOption("--bootstrap") != null) {
            kafka.add(spec.qualifiedName());
            if (spec.findOption("--kafka-property") == null || !spec.mixins().containsKey("kafka")) partial.add(spec.qualifiedName());
        }
        for (CommandLine sub : cl.getSubcommands().values()) walk(sub, kafka, partial);
    }
}
