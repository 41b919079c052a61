package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayCommandTest {
    @Test
    void kafkaSecuritySettingsPassThrough() {
        GatewayCommand g = new GatewayCommand();
        new CommandLine(g).parseArgs("--kafka-property", "security.protocol=SASL_SSL", "--kafka-property", "sasl.mechanism=SCRAM-SHA-512");
        Properties p = g.clientProperties();
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.getProperty("sasl.mechanism"));
        GatewayCommand bad = new GatewayCommand();
        new CommandLine(bad).parseArgs("--kafka-property", "bootstrap.servers=x:1");
        assertThrows(IllegalArgumentException.class, bad::clientProperties);
    }
}
