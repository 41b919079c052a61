package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.group.GatewayGroup;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.gateway.GatewayOptions;
import io.vigil.video.gateway.KafkaStatusSink;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourcePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline against a broker that requires SASL/SCRAM logins and ACLs, each part with its own user and only the
 * rights deploy/README.md lists: the gateway writes frames and status and reads cameras, the job reads frames and writes
 * events (transactions included), a reader reads detections. Credentials come from the documented settings (the job's
 * vigil.yaml kafka.properties, the gateway's client properties). A wrong password and a missing ACL are refused, and no
 * password appears in any log line.
 */
class KafkaSecurityITCase {
    private static final int FRAMES = 30;

    @Test
    void thePipelineRunsWithLoginsAndAclsAndRefusesTheRest() throws Exception {
        String adminPw = "adm-" + UUID.randomUUID();
        String gatewayPw = "gw-" + UUID.randomUUID();
        String jobPw = "job-" + UUID.randomUUID();
        String readerPw = "rd-" + UUID.randomUUID();
        List<String> secrets = List.of(adminPw, gatewayPw, jobPw, readerPw);
        EmbeddedKafka.Security sec = new EmbeddedKafka.Security("admin", adminPw, Map.of("gateway", gatewayPw, "job", jobPw, "reader", readerPw));
        String camera = "sec-cam";
        // Kafka's clients log their whole configuration at INFO: let those lines through, so the check below reads them
        org.apache.logging.log4j.Level kafkaLevel = org.apache.logging.log4j.LogManager.getLogger("org.apache.kafka").getLevel();
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.kafka.clients", org.apache.logging.log4j.Level.INFO);
        try (LogCapture logs = new LogCapture(); EmbeddedKafka kafka = EmbeddedKafka.startSecured(sec)) {
            String bs = kafka.bootstrap();
            kafka.createVigilTopics(2);
            try (Admin admin = kafka.admin()) {
                admin.createAcls(acls()).all().get(30, TimeUnit.SECONDS);
            }
            Properties gateway = kafka.clientProperties("gateway", gatewayPw);
            Properties reader = kafka.clientProperties("reader", readerPw);
            // the job's credentials as deploy/README.md documents them: vigil.yaml kafka.properties
            Path yaml = Files.writeString(Files.createTempDirectory("sec").resolve("vigil.yaml"), String.join("\n",
                    "kafka:",
                    "  bootstrap: " + bs,
                    "  group: vigil-job-sec",
                    "  startFrom: earliest",
                    "  properties:",
                    "    security.protocol: SASL_PLAINTEXT",
                    "    sasl.mechanism: SCRAM-SHA-512",
                    "    sasl.jaas.config: '" + EmbeddedKafka.jaas("job", jobPw) + "'",
                    "detect:",
                    "  model: " + TestPaths.model("yolox-nano"),
                    "job:",
                    "  checkpointInterval: 1s", ""));
            Properties operator = kafka.clientProperties("admin", adminPw);
            try (LocalJob job = LocalJob.start(JobConfig.fromArgs("--config", yaml.toString()));
                 KafkaStatusSink status = new KafkaStatusSink(bs, gateway);
                 // the gateway as `vigil gateway` runs it by default: a member of the group vigil-gateways
                 GatewayGroup gw = new GatewayGroup(bs, gateway, "vigil-gateways", "sec-gw", GatewayOptions.defaults()
                         .withSourcePolicy(SourcePolicy.defaults().withMediaDirs(List.of(SampleMedia.cacheDir()))), status);
                 EventReader detections = new EventReader(bs, Topics.DETECTIONS, reader, "vigil-reader-sec")) {
                CameraRegistry.put(bs, operator, CameraSpec.of(camera, SampleMedia.require(SampleMedia.VTEST).toString()).withFps(25.0));
                List<JsonNode> events = detections.collect(e -> e.path("camera").asText().equals(camera), got -> got.size() >= FRAMES,
                        Duration.ofSeconds(120));
                assertTrue(events.size() >= FRAMES, "events flow end to end through logins and ACLs: " + events.size());
                job.checkAlive();
                CameraRegistry.remove(bs, operator, camera);
            }

            // a wrong password: refused at login
            Properties wrong = kafka.clientProperties("job", "not-" + jobPw);
            wrong.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
            try (Admin a = Admin.create(wrong)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> a.listTopics().names().get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof SaslAuthenticationException, e.toString());
            }
            // a right login without the right: the reader may not write frames
            Properties rp = new Properties();
            rp.putAll(reader);
            rp.put("bootstrap.servers", bs);
            rp.put("max.block.ms", "20000");
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(rp, new ByteArraySerializer(), new ByteArraySerializer())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> p.send(new ProducerRecord<>(Topics.FRAMES, "x".getBytes(), new byte[] {1})).get(30, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof TopicAuthorizationException, e.toString());
            }
            // and the gateway may not read detections
            try (EventReader nope = new EventReader(bs, Topics.DETECTIONS, gateway, "vigil-reader-gw")) {
                Throwable t = assertThrows(RuntimeException.class, () -> nope.collect(x -> true, got -> false, Duration.ofSeconds(10)));
                assertTrue(String.valueOf(t).contains("Authorization") || String.valueOf(t.getCause()).contains("Authorization"), t.toString());
            }
            String text = logs.text();
            assertTrue(text.contains("camera " + camera), "the capture saw the run's log lines (the check below read them)");
            for (String s : secrets) assertFalse(text.contains(s), "a password in the logs");
        } finally {
            org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.kafka.clients", kafkaLevel);
        }
    }

    /** deploy/README.md's ACLs: what each part of Vigil may do, nothing more. */
    private static List<AclBinding> acls() {
        List<AclBinding> a = new ArrayList<>();
        allow(a, "gateway", ResourceType.TOPIC, Topics.FRAMES, PatternType.LITERAL, AclOperation.WRITE);
        allow(a, "gateway", ResourceType.TOPIC, Topics.CAMERA_STATUS, PatternType.LITERAL, AclOperation.WRITE);
        allow(a, "gateway", ResourceType.TOPIC, Topics.CAMERAS, PatternType.LITERAL, AclOperation.READ);
        allow(a, "gateway", ResourceType.GROUP, "vigil-registry-", PatternType.PREFIXED, AclOperation.READ);
        // the gateway group (the default): its consumer group, its seq topic, a transactional producer per slot
        allow(a, "gateway", ResourceType.GROUP, "vigil-gateways", PatternType.PREFIXED, AclOperation.READ);
        allow(a, "gateway", ResourceType.TOPIC, Topics.GATEWAY_SEQ, PatternType.LITERAL, AclOperation.READ);
        allow(a, "gateway", ResourceType.TOPIC, Topics.GATEWAY_SEQ, PatternType.LITERAL, AclOperation.WRITE);
        allow(a, "gateway", ResourceType.TRANSACTIONAL_ID, "vigil-gateways.", PatternType.PREFIXED, AclOperation.WRITE);
        allow(a, "job", ResourceType.TOPIC, Topics.FRAMES, PatternType.LITERAL, AclOperation.READ);
        allow(a, "job", ResourceType.TOPIC, Topics.RULES, PatternType.LITERAL, AclOperation.READ);
        allow(a, "job", ResourceType.GROUP, "vigil-job", PatternType.PREFIXED, AclOperation.READ);
        for (String t : List.of(Topics.DETECTIONS, Topics.ACTIONS, Topics.DEADLETTER, Topics.ANALYTICS, Topics.COUNTS)) {
            allow(a, "job", ResourceType.TOPIC, t, PatternType.LITERAL, AclOperation.WRITE);
        }
        allow(a, "job", ResourceType.TRANSACTIONAL_ID, "vigil-", PatternType.PREFIXED, AclOperation.WRITE);
        allow(a, "reader", ResourceType.TOPIC, Topics.DETECTIONS, PatternType.LITERAL, AclOperation.READ);
        allow(a, "reader", ResourceType.GROUP, "vigil-reader", PatternType.PREFIXED, AclOperation.READ);
        return a;
    }

    private static void allow(List<AclBinding> a, String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        a.add(new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
    }
}
