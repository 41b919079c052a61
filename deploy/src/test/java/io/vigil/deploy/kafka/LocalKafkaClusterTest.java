package io.vigil.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaClusterTest {
    @Test
    void aClusterNeedsANode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LocalKafkaCluster(Path.of("unused"), 0, 0, "256m"));
        assertTrue(e.getMessage().startsWith("brokers:"), e.getMessage());
    }

    @Test
    void theLayoutIsKeptSoTheSameClusterStartsAgainAndADifferentSizeIsRefused(@TempDir Path dir) throws Exception {
        LocalKafkaCluster first = new LocalKafkaCluster(dir, 3, 39092, "256m");
        assertEquals("127.0.0.1:39092,127.0.0.1:39093,127.0.0.1:39094", first.bootstrap());
        assertEquals(3, first.replicas());
        LocalKafkaCluster again = new LocalKafkaCluster(dir, 3, 0, "256m"); // another port asked: the data's own ports win
        assertEquals(first.bootstrap(), again.bootstrap());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LocalKafkaCluster(dir, 5, 0, "256m"));
        assertTrue(e.getMessage().contains("has 3 nodes, not 5"), e.getMessage());
        assertEquals(2, new LocalKafkaCluster(dir.resolve("two"), 2, 0, "256m").replicas(), "replicas: at most the nodes there are");
    }
}
