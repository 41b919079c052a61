package io.vigil.flink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobConfigTest {
    @Test
    void parsesFlagsAndRoundTrips() {
        JobConfig c = JobConfig.fromArgs(new String[] {"--bootstrap", "k:9093", "--model=/m", "--parallelism", "2",
                "--checkpoint-interval", "500ms", "--delivery", "exactly-once", "--provider", "cuda:1", "--score-threshold", "0.4"});
        assertEquals("k:9093", c.bootstrap());
        assertEquals("/m", c.modelPath());
        assertEquals(2, c.parallelism());
        assertEquals(500, c.checkpointIntervalMs());
        assertEquals(JobConfig.Delivery.EXACTLY_ONCE, c.delivery());
        assertEquals("cuda:1", c.provider().toString());
        assertEquals(0.4f, c.scoreThreshold());
        JobConfig again = JobConfig.fromArgs(c.toArgs().toArray(String[]::new));
        assertEquals(c.toArgs(), again.toArgs());
    }

    @Test
    void badInputNamesTheFlag() {
        assertMessage("unknown flag --modle", "--modle", "/m");
        assertMessage("--model is required", "--bootstrap", "a:1");
        assertMessage("--parallelism must be an integer", "--model", "/m", "--parallelism", "two");
        assertMessage("--delivery must be one of", "--model", "/m", "--delivery", "maybe");
        assertMessage("--checkpoint-interval must be a duration", "--model", "/m", "--checkpoint-interval", "soon");
        assertMessage("needs checkpointing", "--model", "/m", "--delivery", "exactly-once", "--checkpoint-interval", "0");
        assertMessage("--bootstrap must be HOST:PORT", "--model", "/m", "--bootstrap", "localhost");
        assertMessage("'gpu' is not one of cpu", "--model", "/m", "--provider", "gpu");
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("d", "90"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("d", "5m"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("d", "1.5s"));
        assertEquals(Duration.ofHours(1), Durations.parse("d", "1h"));
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.fromArgs(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
