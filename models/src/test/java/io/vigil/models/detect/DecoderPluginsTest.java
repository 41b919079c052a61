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
}
