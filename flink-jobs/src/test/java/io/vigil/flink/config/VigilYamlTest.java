package io.vigil.flink.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
        JobConfig c = JobConfig.fromArgs(new String[] {"--config", f.toString(), "--parallelism", "3"});
        assertEquals("k1:9092", c.bootstrap());
        assertEquals("g1", c.groupId());
        assertEquals(JobConfig.StartFrom.EARLIEST, c.startFrom());
        assertEquals("SASL_SSL", c.kafkaProperties().get("security.protocol"));
        assertEquals("prod", c.jobName());
        assertEquals(3, c.parallelism(), "the flag after --config wins");
        assertEquals(10_000, c.checkpointIntervalMs());
        assertEquals(JobConfig.Delivery.AT_LEAST_ONCE, c.delivery());
        assertEquals("cuda:1", c.provider().toString());
        assertEquals(16, c.batchSize());
        assertEquals(40, c.batchTimeoutMs());
        assertEquals(1_000_000, c.maxPixels());
        assertEquals(20, c.maxSeqGap());
        assertEquals(3000, c.maxTimeGapMs());
        assertEquals("gesture-point-history", c.actionModel());
        assertEquals(5, c.actionVotes());
        assertEquals("onnx", c.spatiotemporalBackend());
        assertArrayEquals(new long[] {5, 9}, c.failAfterFrames());
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() throws Exception {
        assertMessage("detect: {model: /m, batchsize: 4}", "unknown key 'detect.batchsize'");
        assertMessage("job: {delivery: maybe}\ndetect: {model: /m}", "job.delivery must be one of");
        assertMessage("detect: {model: /m, batchSize: lots}", "bad value at 'detect.batchSize'");
        assertMessage("detect: {model: /m}\nkafka: {properties: {transactional.id: x}}", "kafka.properties.transactional.id is set by Vigil");
        assertMessage("cameras: []", "unknown key 'cameras'");
    }

    private void assertMessage(String yaml, String part) throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.yaml"), yaml);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.fromArgs(new String[] {"--config", f.toString()}));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
