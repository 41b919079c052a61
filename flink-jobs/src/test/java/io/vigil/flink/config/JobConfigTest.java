package io.vigil.flink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JobConfigTest {
    @Test
    void parsesFlagsOntoTheSections() {
        JobConfig c = JobConfig.fromArgs("--bootstrap", "k:9093", "--model=/m", "--parallelism", "2",
                "--checkpoint-interval", "500ms", "--delivery", "exactly-once", "--provider", "cuda:1", "--score-threshold", "0.4",
                "--kafka-property", "security.protocol=SASL_SSL", "--fail-after-frames", "5,9", "--max-time-gap", "3s");
        assertEquals("k:9093", c.kafka().bootstrap());
        assertEquals("/m", c.detect().model());
        assertEquals(2, c.job().parallelism());
        assertEquals(Duration.ofMillis(500), c.job().checkpointInterval());
        assertEquals(JobConfig.Delivery.EXACTLY_ONCE, c.job().delivery());
        assertEquals("cuda:1", c.detect().executionProvider().toString());
        assertEquals(0.4f, c.detect().scoreThreshold());
        assertEquals(Map.of("security.protocol", "SASL_SSL"), c.kafka().properties());
        assertEquals(List.of(5L, 9L), c.testing().failAfterFrames());
        assertEquals(Duration.ofSeconds(3), c.track().resetPolicy().maxTimeGap());
    }

    @Test
    void defaultsComeFromTheShippedVigilYaml() {
        JobConfig c = JobConfig.fromArgs("--model", "/m");
        assertEquals("127.0.0.1:9092", c.kafka().bootstrap());
        assertEquals(JobConfig.StartFrom.COMMITTED, c.kafka().startFrom());
        assertEquals(1, c.job().parallelism());
        assertEquals(Duration.ofSeconds(5), c.job().checkpointInterval());
        assertEquals(8, c.detect().batchSize());
        assertEquals(Duration.ofMillis(20), c.detect().batchTimeout());
        assertNull(c.detect().scoreThreshold());
        assertEquals(50, c.track().maxSeqGap());
        assertEquals(Duration.ofSeconds(10), c.track().maxTimeGap());
        assertEquals(10, c.actions().votes());
        assertEquals(JobConfig.Backend.JAVA, c.spatiotemporal().backend());
        assertNull(c.testing().failAfterFrames());
    }

    @Test
    void theTrackersMotionPredictorIsKalmanUnlessAsked() {
        assertEquals(JobConfig.Motion.KALMAN, JobConfig.fromArgs("--model", "/m").track().motion());
        JobConfig c = JobConfig.fromArgs("--model", "/m", "--track-motion", "ssm", "--track-motion-model", "/x/motion.safetensors");
        assertEquals(JobConfig.Motion.SSM, c.track().motion());
        assertEquals("/x/motion.safetensors", c.track().motionModel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.fromArgs("--model", "/m", "--track-motion", "lstm"));
        assertTrue(e.getMessage().contains("track.motion") || e.getMessage().contains("--track-motion"), e.getMessage());
    }

    @Test
    void startTimestampAloneMeansStartFromTimestamp() {
        JobConfig c = JobConfig.fromArgs("--model", "/m", "--start-timestamp", "1700000000000");
        assertEquals(JobConfig.StartFrom.TIMESTAMP, c.kafka().startFrom());
        assertEquals(1_700_000_000_000L, c.kafka().startTimestamp());
    }

    /** One setting, one record component: every vigil.yaml key has a flag, every flag a key, and --help shows both with the default. */
    @Test
    void everyYamlKeyHasAFlagAndEveryFlagAKey() {
        Set<String> yamlKeys = new TreeSet<>();
        ObjectNode d = JobConfigParser.defaults();
        for (Iterator<Map.Entry<String, JsonNode>> s = d.fields(); s.hasNext(); ) {
            Map.Entry<String, JsonNode> section = s.next();
            section.getValue().fieldNames().forEachRemaining(k -> yamlKeys.add(section.getKey() + "." + k));
        }
        Set<String> flagKeys = new TreeSet<>();
        Set<String> flags = new TreeSet<>();
        for (JobConfigParser.Key k : JobConfigParser.KEYS) {
            flagKeys.add(k.path());
            assertTrue(flags.add(k.setting().flag()), "flag " + k.setting().flag() + " is used twice");
        }
        assertEquals(yamlKeys, flagKeys, "vigil.yaml keys vs the settings that have flags");
        String usage = JobConfig.usage();
        for (JobConfigParser.Key k : JobConfigParser.KEYS) {
            JsonNode v = d.get(k.section()).get(k.name());
            String def = v.isNull() || (v.isContainerNode() && v.isEmpty()) ? "none" : v.asText();
            assertTrue(usage.contains(k.setting().flag() + " ") && usage.contains("[" + k.path() + ", default " + def + "]"),
                    k.path() + " in --help:\n" + usage);
        }
        List<String> missingFromFile = new ArrayList<>();
        String file = readDefaultsText();
        for (JobConfigParser.Key k : JobConfigParser.KEYS) if (!file.contains("[" + k.setting().flag())) missingFromFile.add(k.setting().flag());
        assertEquals(List.of(), missingFromFile, "vigil.yaml names each key's flag in its comment");
    }

    @Test
    void badInputNamesTheKeyAndTheFlag() {
        assertMessage("Unknown options: '--modle'", "--modle", "/m");
        assertMessage("detect.model (--model) is required", "--bootstrap", "a:1");
        assertMessage("bad value at 'job.parallelism' (--parallelism)", "--model", "/m", "--parallelism", "two");
        assertMessage("job.delivery (--delivery) must be one of [at-least-once, exactly-once], got 'maybe'", "--model", "/m", "--delivery", "maybe");
        assertMessage("(--checkpoint-interval): must be a duration", "--model", "/m", "--checkpoint-interval", "soon");
        assertMessage("needs checkpointing", "--model", "/m", "--delivery", "exactly-once", "--checkpoint-interval", "0");
        assertMessage("kafka.bootstrap (--bootstrap) must be HOST:PORT", "--model", "/m", "--bootstrap", "localhost");
        assertMessage("detect.provider (--provider) ", "--model", "/m", "--provider", "gpu");
        assertMessage("detect.batchSize (--batch-size) must be 1..256, got 0", "--model", "/m", "--batch-size", "0");
        assertMessage("(--kafka-property) takes KEY=VALUE", "--model", "/m", "--kafka-property", "novalue");
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("timeout", "soon")).getMessage().startsWith("--timeout must be"));
    }

    private static String readDefaultsText() {
        try (var in = JobConfigParser.class.getResourceAsStream(JobConfigParser.DEFAULTS)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobConfig.fromArgs(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
