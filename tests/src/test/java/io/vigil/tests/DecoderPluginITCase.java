package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.models.onnx.ConstantGraph;
import io.vigil.video.source.SampleMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A detector family Vigil was built without: the example plugin's jar (examples/decoder-plugin, built by the reactor,
 * not on Vigil's classpath) dropped into a plugins directory, and a model whose model.yaml says {@code type: centernet}.
 * {@code vigil detect --plugins DIR} and the job ({@code vigil demo --plugins DIR}: Kafka, the MiniCluster, vtest.avi)
 * both decode it into the box its heatmap peak stands for; without the directory the same model is refused, naming the
 * families there are.
 */
class DecoderPluginITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KAFKA = Pattern.compile("Kafka broker on (\\S+)");

    @Test
    void aPluginJarDroppedIntoTheDirectoryIsUsedByDetectAndByTheJob() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", "..")).toAbsolutePath().normalize();
        Path plugins = Files.createTempDirectory("vigil-plugins");
        Files.copy(pluginJar(home), plugins.resolve("example-decoder.jar"));
        Path model = centerNetModel(Files.createTempDirectory("centernet"));
        String image = SampleMedia.require("messi5.jpg").toString();

        Run refused = run(home, List.of("detect", "--model", model.toString(), "--input", image, "--json"));
        assertNotEquals(0, refused.exit);
        assertTrue(refused.out.contains("decoder.type centernet is unknown") && refused.out.contains("from plugins: none"), refused.out);

        Run detect = run(home, List.of("detect", "--plugins", plugins.toString(), "--model", model.toString(), "--input", image, "--json"));
        assertEquals(0, detect.exit, detect.out);
        JsonNode frame = JSON.readTree(detect.out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(detect.out)));
        assertEquals(1, frame.path("objects").size(), frame.toString());
        assertBox(frame.path("objects").get(0), frame.path("width").asDouble(), frame.path("height").asDouble());

        // the job: the demo's MiniCluster opens the detector on its TaskManager with the plugin from the directory
        Process demo = VigilProcess.start(home, List.of("demo", "--plugins", plugins.toString(), "--model", model.toString(), "--port", "0",
                "--dashboard-port", "-1", "--metrics-port", "-1", "--duration", "90s"));
        StringBuilder out = new StringBuilder();
        CompletableFuture<String> bootstrap = new CompletableFuture<>();
        VigilProcess.follow(demo, out, java.util.Map.of(KAFKA, bootstrap));
        try {
            String bs = bootstrap.get(120, TimeUnit.SECONDS);
            assertTrue(bs != null, "the demo started:\n" + out);
            try (EventReader events = new EventReader(bs, "vigil.detections")) {
                List<JsonNode> got = events.collect(e -> e.path("objects").size() > 0, l -> l.size() >= 5, Duration.ofSeconds(90));
                assertTrue(got.size() >= 5, "detections from the plugin's decoder in the job; demo said:\n" + out);
                for (JsonNode e : got) {
                    assertTrue(e.path("model").asText().startsWith("centernet-fixture@"), e.toString());
                    assertBox(e.path("objects").get(0), e.path("width").asDouble(), e.path("height").asDouble());
                }
            }
        } finally {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A plugin author's path as docs/decoder-plugins.md gives it, outside this tree: the documented command installs the
     * SPI (from a copy of the checkout, so this build's own target folders stay untouched), the example's sources are
     * built as a project of their own with the pom.xml printed in the docs, and the jar it makes is used by vigil detect.
     */
    @Test
    void aPluginBuildsOutsideTheTreeWithTheDocumentedCommandAndPom() throws Exception {
        Path home = Path.of(System.getProperty("vigil.home", "..")).toAbsolutePath().normalize();
        String doc = Files.readString(home.resolve("docs/decoder-plugins.md"));
        java.util.regex.Matcher install = Pattern.compile("\\nmvn -f /path/to/vigil/pom.xml (install [^\\n]+)\\n").matcher(doc);
        assertTrue(install.find(), "docs/decoder-plugins.md gives the install command");
        java.util.regex.Matcher pom = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertTrue(pom.find(), "docs/decoder-plugins.md gives a plugin's pom.xml");

        // a checkout as a user has it: every POM, and the sources of the SPI and what it builds on
        Path copy = Files.createTempDirectory("vigil-checkout");
        Files.copy(home.resolve("pom.xml"), copy.resolve("pom.xml"));
        for (String m : java.util.regex.Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(home.resolve("pom.xml")))
                .results().map(r -> r.group(1)).toList()) {
            Files.createDirectories(copy.resolve(m));
            Files.copy(home.resolve(m).resolve("pom.xml"), copy.resolve(m).resolve("pom.xml"));
        }
        for (String m : List.of("video-io", "spatiotemporal", "models")) copyTree(home.resolve(m).resolve("src/main"), copy.resolve(m).resolve("src/main"));
        List<String> installCmd = new java.util.ArrayList<>(List.of("mvn", "-B", "-q", "-f", copy.resolve("pom.xml").toString()));
        installCmd.addAll(List.of(install.group(1).split(" ")));
        assertEquals(0, exec(installCmd, copy), "the documented install command");

        Path project = Files.createTempDirectory("centernet-decoder");
        Files.writeString(project.resolve("pom.xml"), pom.group(1));
        copyTree(home.resolve("examples/decoder-plugin/src/main"), project.resolve("src/main"));
        assertEquals(0, exec(List.of("mvn", "-B", "-q", "package"), project), "mvn package of the plugin project");
        Path jar = project.resolve("target/centernet-decoder-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar), "the docs say the jar is " + jar.getFileName());

        Path plugins = Files.createTempDirectory("vigil-plugins");
        Files.copy(jar, plugins.resolve(jar.getFileName()));
        Path model = centerNetModel(Files.createTempDirectory("centernet"));
        Run detect = run(home, List.of("detect", "--plugins", plugins.toString(), "--model", model.toString(), "--input",
                SampleMedia.require("messi5.jpg").toString(), "--json"));
        assertEquals(0, detect.exit, detect.out);
        JsonNode frame = JSON.readTree(detect.out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(detect.out)));
        assertBox(frame.path("objects").get(0), frame.path("width").asDouble(), frame.path("height").asDouble());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    private static int exec(List<String> cmd, Path dir) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " timed out");
        if (p.exitValue() != 0) System.err.println(String.join(" ", cmd) + ":\n" + out);
        return p.exitValue();
    }

    /** The fixture's one peak: class person, centre (4.25, 6.75) cells of 4 input pixels, 12 x 20, on a 64x64 input stretched from the frame. */
    private static void assertBox(JsonNode o, double width, double height) {
        assertEquals("person", o.path("label").asText(), o.toString());
        double sx = width / 64, sy = height / 64;
        double[] want = {11 * sx, 17 * sy, 23 * sx, 37 * sy};
        for (int i = 0; i < 4; i++) assertEquals(want[i], o.path("box").get(i).asDouble(), 0.6, "box " + o.path("box") + " vs " + java.util.Arrays.toString(want));
    }

    private static Path centerNetModel(Path dir) throws Exception {
        int g = 16;
        float[] hm = new float[2 * g * g], wh = new float[2 * g * g], reg = new float[2 * g * g];
        hm[6 * g + 4] = 0.9f;
        wh[6 * g + 4] = 12;
        wh[g * g + 6 * g + 4] = 20;
        reg[6 * g + 4] = 0.25f;
        reg[g * g + 6 * g + 4] = 0.75f;
        Files.write(dir.resolve("model.onnx"), new ConstantGraph().output("hm", hm, 2, g, g).output("wh", wh, 2, g, g).output("reg", reg, 2, g, g)
                .toModel(64, 64));
        Files.writeString(dir.resolve("labels.txt"), "person\ncar\n");
        Files.writeString(dir.resolve("model.yaml"), "name: centernet-fixture\nkind: detector\nfile: model.onnx\n"
                + "input: {name: images, width: 64, height: 64, channels: BGR, resize: stretch, scale: 1.0}\n"
                + "decoder: {type: centernet, options: {heatmap: hm, size: wh, offset: reg, stride: 4}}\nlabels: labels.txt\nscoreThreshold: 0.3\n");
        return dir;
    }

    private static Path pluginJar(Path home) throws Exception {
        Path target = home.resolve("examples/decoder-plugin/target");
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("vigil-example-decoder-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("the example plugin's jar is not built in " + target));
        }
    }

    private record Run(int exit, String out) {}

    private static Run run(Path home, List<String> args) throws Exception {
        Process p = new ProcessBuilder(command(home, args)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertFalse(out.isEmpty());
        return new Run(p.exitValue(), out);
    }

    /** Vigil's own classpath (this test's: the plugin is not on it) and JVM options. */
    private static List<String> command(Path home, List<String> args) {
        assertFalse(System.getProperty("java.class.path").contains("decoder-plugin"), "the plugin must not be on Vigil's classpath");
        return VigilProcess.command(home, args);
    }
}
