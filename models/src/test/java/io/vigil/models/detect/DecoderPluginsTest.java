package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.onnx.ConstantGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderPluginsTest {
    @TempDir
    Path tmp;

    @Test
    void anUnknownDecoderTypeListsTheBuiltInAndTheDiscoveredOnes() throws Exception {
        Files.write(tmp.resolve("model.onnx"), new ConstantGraph().output("out", new float[4], 1, 4).toModel(32, 32));
        Files.writeString(tmp.resolve("model.yaml"), String.join("\n", "name: x", "kind: detector", "file: model.onnx",
                "input: {name: images, width: 32, height: 32}", "decoder: {type: centrenet, options: {heatmap: hm}}", "labels: labels.txt", ""));
        Files.writeString(tmp.resolve("labels.txt"), "a\n");
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(tmp));
        String m = e.getMessage();
        assertTrue(m.contains("decoder.type centrenet is unknown") && m.contains("built in: boxes-scores, e2e, fastestdet, yolov5, yolov8, yolox")
                && m.contains("from plugins: none") && m.contains("--plugins DIR or VIGIL_PLUGINS"), m);
    }

    @Test
    void aPluginsDirectoryThatDoesNotExistIsNamed() {
        String before = System.getProperty("vigil.plugins");
        System.setProperty("vigil.plugins", tmp.resolve("nope").toString());
        try {
            ModelException e = assertThrows(ModelException.class, DecoderPlugins::all);
            assertTrue(e.getMessage().contains("plugins directory") && e.getMessage().contains("nope"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty("vigil.plugins");
            else System.setProperty("vigil.plugins", before);
        }
    }

    private static void jar(Path file, String entry, String content) throws Exception {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            out.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private Path model(String type) throws Exception {
        Path m = Files.createDirectories(tmp.resolve("model-" + type));
        Files.write(m.resolve("model.onnx"), new ConstantGraph().output("out", new float[4], 1, 4).toModel(32, 32));
        Files.writeString(m.resolve("model.yaml"), String.join("\n", "name: x", "kind: detector", "file: model.onnx",
                "input: {name: images, width: 32, height: 32}", "decoder: {type: " + type + ", options: {size: wh}}", "labels: labels.txt", ""));
        Files.writeString(m.resolve("labels.txt"), "a\n");
        return m;
    }

    private static <T> T withPlugins(Path dir, java.util.concurrent.Callable<T> body) throws Exception {
        String before = System.getProperty("vigil.plugins");
        System.setProperty("vigil.plugins", dir.toString());
        try {
            return body.call();
        } finally {
            if (before == null) System.clearProperty("vigil.plugins");
            else System.setProperty("vigil.plugins", before);
        }
    }

    @Test
    void aJarWithoutItsServiceFileIsNamedAsSuch() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("bare-plugins"));
        jar(plugins.resolve("centernet-1.0.jar"), "io/example/CenterNet.txt", "no service file here");
        ModelException e = withPlugins(plugins, () -> assertThrows(ModelException.class, () -> ModelBundle.load(model("centernet"))));
        assertTrue(e.getMessage().contains("from plugins: none") && e.getMessage().contains("centernet-1.0.jar has no "
                + "META-INF/services/io.vigil.models.detect.DecoderFactory, so it provides no decoder"), e.getMessage());
    }

    @Test
    void aPluginsErrorIsPrefixedWithTheModelYamlAndThePlugin() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("failing-plugins"));
        jar(plugins.resolve("failing.jar"), DecoderPlugins.SERVICE_FILE, FailingDecoderFactory.class.getName() + "\n");
        Path m = model("failing");
        ModelException e = withPlugins(plugins, () -> {
            ModelBundle b = ModelBundle.load(m);
            return assertThrows(ModelException.class, () -> Detector.open(b, DetectorOptions.defaults()));
        });
        assertTrue(e.getMessage().startsWith(m.resolve("model.yaml").toAbsolutePath() + ": decoder failing (plugin "
                + FailingDecoderFactory.class.getName() + "): option 'heatmap' is missing"), e.getMessage());
    }
}
