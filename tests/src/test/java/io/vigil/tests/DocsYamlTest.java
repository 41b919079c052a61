package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.flink.config.JobConfig;
import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelDescriptors;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML snippet in the docs is loaded by what reads that kind of file: a model.yaml by the descriptor reader (with
 * the example plugin's jar as the plugins directory, since the plugin docs name its type), a job config by the job's
 * config parser, anything else (Prometheus, Kubernetes) at least as YAML. A snippet the code refuses fails, naming the
 * file and its line.
 */
class DocsYamlTest {
    private static final Pattern BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    record Snippet(Path file, int line, String text) {}

    static List<Snippet> snippets() throws Exception {
        Path home = ArchitectureTest.home();
        List<Path> docs = new ArrayList<>(List.of(home.resolve("README.md"), home.resolve("deploy/README.md")));
        try (Stream<Path> s = Files.list(home.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<Snippet> out = new ArrayList<>();
        for (Path d : docs) {
            String text = Files.readString(d);
            Matcher m = BLOCK.matcher(text);
            while (m.find()) out.add(new Snippet(home.relativize(d), text.substring(0, m.start()).split("\n", -1).length, m.group(1)));
        }
        return out;
    }

    @Test
    void everyYamlSnippetInTheDocsLoads() throws Exception {
        List<Snippet> all = snippets();
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        Path home = ArchitectureTest.home();
        try (Stream<Path> jars = Files.list(home.resolve("examples/decoder-plugin/target"))) {
            for (Path j : jars.filter(p -> p.getFileName().toString().matches("vigil-example-decoder-[^-]+(-SNAPSHOT)?\\.jar")).toList()) {
                Files.copy(j, plugins.resolve(j.getFileName()));
            }
        }
        assertEquals(1, Files.list(plugins).count(), "the example decoder plugin's jar is built before the tests");
        List<String> failed = new ArrayList<>();
        int models = 0, jobs = 0;
        String before = System.getProperty("vigil.plugins");
        System.setProperty("vigil.plugins", plugins.toString());
        try {
            for (Snippet s : all) {
                String where = s.file() + ":" + s.line();
                try {
                    JsonNode n = YAML.readTree(s.text());
                    if (n.has("kind") && n.has("decoder")) {
                        ModelDescriptor d = ModelDescriptors.read(new ByteArrayInputStream(s.text().getBytes(StandardCharsets.UTF_8)), where);
                        assertTrue(d.name() != null);
                        models++;
                    } else if (n.has("kafka") || n.has("detect") || n.has("gate") || n.has("job")) {
                        Path f = Files.writeString(tmp.resolve("job-" + jobs + ".yaml"), s.text());
                        // a snippet showing one section is used with the flags: the model then comes from --model
                        if (n.path("detect").has("model")) JobConfig.fromArgs("--config", f.toString());
                        else JobConfig.fromArgs("--config", f.toString(), "--model", "yolox-nano");
                        jobs++;
                    }
                } catch (Exception | AssertionError e) {
                    failed.add(String.valueOf(e.getMessage()).startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
                }
            }
        } finally {
            if (before == null) System.clearProperty("vigil.plugins");
            else System.setProperty("vigil.plugins", before);
        }
        assertEquals(List.of(), failed);
        assertTrue(models >= 2 && jobs >= 3, "read " + all.size() + " snippets: " + models + " model.yaml, " + jobs + " job configs");
    }
}
