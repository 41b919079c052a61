package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.cluster.ClusterOptions;
import io.vigil.deploy.cluster.LocalCluster;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/README.md's local-cluster commands, run as a user runs them: {@code ./vigil cluster start|submit|status|stop}
 * from the project root, the model given as a path relative to where the user stands ({@code ../shared/models/...}).
 * The job opens it on the TaskManager (whose working directory is the cluster's) and events flow. A job whose model
 * does not exist fails once with that reason instead of restarting forever, and {@code status} shows it.
 */
class ClusterCommandsITCase {
    private static final Pattern JOB_ID = Pattern.compile("submitted job ([0-9a-f]{32})");
    private static final int FRAMES = 20;

    @Test
    void readmeCommandsWithARelativeModelPath() throws Exception {
        String bs = SharedStack.kafka().bootstrap();
        Path home = Path.of(System.getProperty("vigil.home", "..")).toAbsolutePath().normalize();
        Path dir = Files.createDirectories(home.resolve("tests/target/cluster-commands-" + System.currentTimeMillis()));
        String port = Integer.toString(ClusterFailoverITCase.freePort());
        String model = home.relativize(TestPaths.model("yolox-nano").toAbsolutePath().normalize()).toString();
        assertTrue(model.startsWith(".."), "the model path is relative to the project root: " + model);
        List<String> where = List.of("--dir", dir.toString(), "--rest-port", port);
        try {
            String started = vigil(home, where, "cluster", "start", "--taskmanagers", "1", "--slots", "2");
            assertTrue(started.contains("Flink cluster up"), started);
            long t0 = System.currentTimeMillis();
            String camera = "cluster-cmd-" + t0;
            // the gate as shipped: this test counts events, one per frame, which every frame gets detected or not
            String submitted = vigil(home, where, "cluster", "submit", "--", "--bootstrap", bs, "--model", model,
                    "--group", "cc-" + t0, "--start-timestamp", Long.toString(t0), "--checkpoint-interval", "1s");
            Matcher m = JOB_ID.matcher(submitted);
            assertTrue(m.find(), submitted);
            LocalCluster cluster = new LocalCluster(ClusterOptions.builder().dir(dir).restPort(Integer.parseInt(port))
                    .libClasspath(ClusterOptions.readClasspathFile(home.resolve("deploy/target/flink-lib-classpath.txt"))).build());
            cluster.awaitJobRunning(m.group(1), Duration.ofSeconds(90));
            try (EventReader detections = new EventReader(bs, Topics.DETECTIONS);
                 CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
                gw.start(CameraConfig.builder().id(camera).source(SampleMedia.require(SampleMedia.VTEST).toString()).paced(false)
                        .maxFrames(FRAMES).build());
                List<JsonNode> events = detections.collect(e -> e.path("camera").asText().equals(camera), got -> got.size() >= FRAMES,
                        Duration.ofSeconds(90));
                assertEquals(FRAMES, events.size(), "every frame detected by the job that opened ../shared/models/... on the cluster");
                assertTrue(events.get(0).path("model").asText().startsWith("yolox-nano@sha256:"), events.get(0).toString());
            }

            String bad = vigil(home, where, "cluster", "submit", "--", "--bootstrap", bs, "--model", "no-such-dir/model.onnx",
                    "--group", "cc-bad-" + t0);
            Matcher mb = JOB_ID.matcher(bad);
            assertTrue(mb.find(), bad);
            String state = "?";
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !(state = cluster.rest().jobState(mb.group(1))).equals("FAILED")) Thread.sleep(500);
            assertEquals("FAILED", state, "a model that does not exist stops the job; it does not restart forever");
            assertTrue(cluster.rest().failures(mb.group(1)).size() <= 1, "no restarts: " + cluster.rest().failures(mb.group(1)));
            String status = vigil(home, where, "cluster", "status");
            assertTrue(status.contains("exit 2"), "a failed job makes status exit 2:\n" + status);
            Matcher good = Pattern.compile(m.group(1) + " healthy +.+?: RUNNING, (\\d+)/(\\d+) tasks running").matcher(status);
            assertTrue(good.find() && good.group(1).equals(good.group(2)), "the running job is healthy, every task running:\n" + status);
            assertTrue(status.contains(mb.group(1) + " UNHEALTHY") && status.contains(": FAILED, ") && status.contains("model not found")
                    && status.contains("no-such-dir"), "status names the failed job and why:\n" + status);
        } finally {
            vigil(home, where, "cluster", "stop");
        }
    }

    /** Runs ./vigil from the project root (as the README does), with the cluster's --dir/--rest-port after the subcommand. */
    private static String vigil(Path home, List<String> where, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("vigil").toString()));
        int sub = args[0].equals("cluster") ? 2 : 1;
        for (int i = 0; i < sub; i++) cmd.add(args[i]);
        cmd.addAll(where);
        for (int i = sub; i < args.length; i++) cmd.add(args[i]);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("VIGIL_NO_BUILD", "1"); // the build under test, not a rebuild from inside a test
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) p.destroyForcibly();
        String text = new String(out, StandardCharsets.UTF_8);
        boolean unhealthy = args[args.length - 1].equals("status") && p.exitValue() == 2; // status: a job is not healthy
        if (p.exitValue() != 0 && !unhealthy && !args[args.length - 1].equals("stop")) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + text);
        return unhealthy ? text + "\nexit 2" : text;
    }
}
