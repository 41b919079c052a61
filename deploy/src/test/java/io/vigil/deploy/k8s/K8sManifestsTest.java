package io.vigil.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import io.vigil.video.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests parse as YAML and carry what a deployment needs. They cannot be applied here (no
 * cluster, no Docker engine): this checks structure and required fields only.
 */
class K8sManifestsTest {
    private static List<JsonNode> docs() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
                    while (it.hasNext()) {
                        JsonNode d = it.next();
                        if (d == null || d.isEmpty()) continue;
                        for (String k : List.of("apiVersion", "kind")) assertTrue(d.hasNonNull(k), f + ": a document without " + k);
                        assertTrue(d.path("metadata").hasNonNull("name"), f + ": " + d.path("kind").asText() + " without metadata.name");
                        out.add(d);
                    }
                }
            }
        }
        return out;
    }

    private static List<JsonNode> ofKind(List<JsonNode> all, String kind) {
        return all.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    @Test
    void flinkDeploymentRunsTheJobOnGpusWithTheVectorModule() throws Exception {
        List<JsonNode> fd = ofKind(docs(), "FlinkDeployment");
        assertEquals(1, fd.size());
        JsonNode spec = fd.get(0).path("spec");
        assertEquals("io.vigil.flink.VideoAnalyticsJob", spec.path("job").path("entryClass").asText());
        assertTrue(spec.path("job").path("jarURI").asText().endsWith(".jar"));
        String opts = spec.path("flinkConfiguration").path("env.java.opts.all").asText();
        assertTrue(opts.contains("--add-modules jdk.incubator.vector"), opts);
        for (String o : io.vigil.deploy.cluster.FlinkConf.JVM_OPTIONS) assertTrue(opts.contains(o), "env.java.opts.all lacks " + o);
        assertEquals(io.vigil.deploy.cluster.FlinkConf.PARENT_FIRST,
                spec.path("flinkConfiguration").path("classloader.parent-first-patterns.additional").asText());
        assertTrue(spec.path("flinkConfiguration").has("execution.checkpointing.dir"), "Flink 2.x checkpoint dir key");
        JsonNode tm = spec.path("taskManager").path("podTemplate").path("spec").path("containers").get(0);
        assertEquals(1, tm.path("resources").path("limits").path("nvidia.com/gpu").asInt());
        assertTrue(spec.path("image").asText().contains("gpu"));
    }

    @Test
    void everyVigilTopicIsDeclaredWithItsSettings() throws Exception {
        List<JsonNode> topics = ofKind(docs(), "KafkaTopic");
        Set<String> names = topics.stream().map(t -> t.path("metadata").path("name").asText()).collect(Collectors.toSet());
        Set<String> expected = new java.util.HashSet<>(Topics.ALL);
        expected.addAll(Topics.INTERNAL);
        assertEquals(expected, names);
        JsonNode seq = topics.stream().filter(t -> t.path("metadata").path("name").asText().equals(Topics.GATEWAY_SEQ)).findFirst().orElseThrow();
        assertEquals(Topics.GATEWAY_SLOTS, seq.path("spec").path("partitions").asInt(), "one partition per slot of the gateway group");
        assertEquals("compact", seq.path("spec").path("config").path("cleanup.policy").asText());
        JsonNode cameras = topics.stream().filter(t -> t.path("metadata").path("name").asText().equals(Topics.CAMERAS)).findFirst().orElseThrow();
        assertEquals("compact", cameras.path("spec").path("config").path("cleanup.policy").asText());
        for (JsonNode t : topics) assertEquals("vigil-kafka", t.path("metadata").path("labels").path("strimzi.io/cluster").asText());
        assertEquals(1, ofKind(docs(), "Kafka").size());
    }

    @Test
    void gatewayConfigAndSecretsArePresentAndNoRealPasswordIsCommitted() throws Exception {
        List<JsonNode> all = docs();
        assertEquals(1, ofKind(all, "Deployment").size());
        JsonNode gw = ofKind(all, "Deployment").get(0).path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("gateway", gw.path("args").get(0).asText());
        JsonNode gwSpec = ofKind(all, "Deployment").get(0).path("spec");
        assertTrue(gwSpec.path("replicas").asInt() >= 2, "the gateways run as a group of replicas");
        assertTrue(gwSpec.path("template").path("spec").path("volumes").isMissingNode(), "no per-pod state: the seqs live on " + Topics.GATEWAY_SEQ);
        assertFalse(gw.path("args").toString().contains("--standalone"), gw.path("args").toString());
        JsonNode cfg = ofKind(all, "ConfigMap").get(0).path("data").path("vigil.yaml");
        assertTrue(cfg.asText().contains("delivery: exactly-once"));
        // the shipped vigil.yaml is one the job accepts
        Path f = Files.createTempFile("vigil", ".yaml");
        Files.writeString(f, cfg.asText());
        var jc = io.vigil.flink.config.JobConfig.fromArgs("--config", f.toString());
        assertEquals("SASL_SSL", jc.kafka().properties().get("security.protocol"));
        assertEquals("cuda:0", jc.detect().executionProvider().toString());
        Files.delete(f);
        // the probes: alive = the process serves, ready = Kafka answers and the subscriptions are applied
        int port = Integer.parseInt(gw.path("args").get(gw.path("args").size() - 1).asText());
        assertEquals("--http-port", gw.path("args").get(gw.path("args").size() - 2).asText());
        assertEquals(port, gw.path("ports").get(0).path("containerPort").asInt());
        assertEquals("/healthz", gw.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/readyz", gw.path("readinessProbe").path("httpGet").path("path").asText());
        JsonNode fc = ofKind(all, "FlinkDeployment").get(0).path("spec").path("flinkConfiguration");
        assertEquals(io.vigil.deploy.ops.FlinkPrometheus.FACTORY, fc.path("metrics.reporter.prom.factory.class").asText(), "Flink's Prometheus reporter");
        assertEquals("false", fc.path("metrics.reporter.prom.filterLabelValueCharacters").asText(), "camera ids kept as they are");
        JsonNode secret = ofKind(all, "Secret").get(0);
        assertTrue(secret.path("stringData").path("sasl.jaas.config").asText().contains("CHANGE-ME"));
        assertFalse(secret.toString().matches(".*password=\"(?!CHANGE-ME)[^\"]+\".*"));
    }
}
