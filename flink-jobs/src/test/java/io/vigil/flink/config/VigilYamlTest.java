package io.vigil.flink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilYamlTest {
    @TempDir
    Path tmp;

    @Test
    void readsEverySectionAndFlagsOverrideIt() throws Exception {
        Path f = Files.writeString(tmp.resolve("vigil.yaml"), String.join("\n",
                "kafka: {bootstrap: 'k1:9092', group: g1, startFrom: earliest, properties: {security.protocol: SASL_SSL}}",
                "job: {name: prod, parallelism: 2, checkpointInterval: 10s, delivery: at-least-once}",
                "detect: {model: /m, provider: 'cuda:1', threads: 2, scoreThreshold: 0.4, batchSize: 16, batchTimeout: 40ms, maxPixels: 1000000}",
                "track: {maxSeqGap: 20, maxTimeGap: 3s}",
                "actions: {model: gesture-point-history, votes: 5, threshold: 0.6}",
                "spatiotemporal: {model: /ssm.safetensors, kernel: scalar, backend: onnx}",
                "testing: {failAfterFrames: [5, 9]}", ""));
        JobConfig c = JobConfig.fromArgs("--config", f.toString(), "--parallelism", "3");
        assertEquals("k1:9092", c.kafka().bootstrap());
        assertEquals("g1", c.kafka().group());
        assertEquals(JobConfig.StartFrom.EARLIEST, c.kafka().startFrom());
        assertEquals("SASL_SSL", c.kafka().properties().get("security.protocol"));
        assertEquals("prod", c.job().name());
        assertEquals(3, c.job().parallelism(), "the flag after --config wins");
        assertEquals(Duration.ofSeconds(10), c.job().checkpointInterval());
        assertEquals(JobConfig.Delivery.AT_LEAST_ONCE, c.job().delivery());
        assertEquals("cuda:1", c.detect().executionProvider().toString());
        assertEquals(16, c.detect().batchSize());
        assertEquals(Duration.ofMillis(40), c.detect().batchTimeout());
        assertEquals(1_000_000, c.detect().maxPixels());
        assertEquals(20, c.track().maxSeqGap());
        assertEquals(Duration.ofSeconds(3), c.track().maxTimeGap());
        assertEquals("gesture-point-history", c.actions().model());
        assertEquals(5, c.actions().votes());
        assertEquals(JobConfig.Backend.ONNX, c.spatiotemporal().backend());
        assertEquals(List.of(5L, 9L), c.testing().failAfterFrames());
        assertEquals(JobConfig.fromArgs("--config", f.toString(), "--parallelism", "3"), c, "records compare by value");
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() throws Exception {
        assertMessage("detect: {model: /m, batchsize: 4}", "unknown key 'detect.batchsize'");
        assertMessage("job: {delivery: maybe}\ndetect: {model: /m}", "job.delivery (--delivery) must be one of");
        assertMessage("detect: {model: /m, batchSize: lots}", "bad value at 'detect.batchSize'");
        assertMessage("detect: {model: /m}\nkafka: {properties: {transactional.id: x}}", "kafka.properties.transactional.id is set by Vigil");
        assertMessage("cameras: []", "unknown key 'cameras'");
    }

    private void assertMessage(String yaml, String part) throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.yaml"), yaml);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.fromArgs("--config", f.toString()));
        assertTrue(e.getMessage().contains(f.toString()) || e.getMessage().startsWith("kafka.properties"), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
