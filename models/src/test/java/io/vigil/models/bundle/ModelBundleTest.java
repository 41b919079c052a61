package io.vigil.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.TestData;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir
    Path tmp;

    @Test
    void bareUpstreamDirectoryIsMatchedToTheCatalogueBySha256() {
        ModelBundle b = ModelBundle.load(TestData.model("yolox-nano"));
        assertEquals("yolox-nano", b.descriptor().name());
        assertEquals("yolox-nano@sha256:695e750a5d57", b.modelId());
        assertEquals(80, b.labels().size());
        assertEquals("person", b.labels().get(0));
        ModelBundle f = ModelBundle.load(TestData.model("yolox-nano").resolve("yolox_nano.onnx"));
        assertEquals(b.modelId(), f.modelId());
    }

    @Test
    void missingDirectoryIsNamed() {
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("model not found") && e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void directoryWithoutOnnxIsNamed() {
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(tmp));
        assertTrue(e.getMessage().contains("no .onnx file"), e.getMessage());
    }

    @Test
    void nonOnnxFileIsRejected() throws Exception {
        Path fake = Files.writeString(tmp.resolve("model.onnx"), "this is not a model");
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(fake));
        assertTrue(e.getMessage().contains("not an ONNX model"), e.getMessage());
    }

    @Test
    void truncatedOnnxIsRejectedByTheRuntimeWithTheFileNamed() throws Exception {
        byte[] full = Files.readAllBytes(TestData.model("yolox-nano").resolve("yolox_nano.onnx"));
        Path cut = tmp.resolve("yolox_nano.onnx");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length / 3));
        Files.writeString(tmp.resolve("model.yaml"), yaml(""));
        Files.copy(TestData.model("yolox-nano").resolve("coco80.txt"), tmp.resolve("coco80.txt"));
        ModelBundle b = ModelBundle.load(tmp);
        ModelException e = assertThrows(ModelException.class, () -> Detector.open(b, DetectorOptions.defaults()));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void unknownCatalogueFileWithoutYamlSaysWhatToDo() throws Exception {
        byte[] full = Files.readAllBytes(TestData.model("yolox-nano").resolve("yolox_nano.onnx"));
        full[full.length - 1] ^= 1;
        Files.write(tmp.resolve("custom.onnx"), full);
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(tmp));
        assertTrue(e.getMessage().contains("write a model.yaml"), e.getMessage());
    }

    @Test
    void unknownYamlKeyIsNamed() throws Exception {
        Files.copy(TestData.model("yolox-nano").resolve("yolox_nano.onnx"), tmp.resolve("yolox_nano.onnx"));
        Files.writeString(tmp.resolve("model.yaml"), yaml("colour: blue\n"));
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(tmp));
        assertTrue(e.getMessage().contains("unknown key 'colour'"), e.getMessage());
        Files.writeString(tmp.resolve("model.yaml"), yaml("").replace("  pad: 114", "  pad: 114\n  padd: 3"));
        ModelException nested = assertThrows(ModelException.class, () -> ModelBundle.load(tmp));
        assertTrue(nested.getMessage().contains("'input.padd'"), nested.getMessage());
    }

    @Test
    void badValuesAreNamed() throws Exception {
        Files.copy(TestData.model("yolox-nano").resolve("yolox_nano.onnx"), tmp.resolve("yolox_nano.onnx"));
        Files.writeString(tmp.resolve("model.yaml"), yaml("").replace("resize: letterbox-topleft", "resize: squash"));
        ModelException e = assertThrows(ModelException.class, () -> ModelBundle.load(tmp));
        assertTrue(e.getMessage().contains("input.resize"), e.getMessage());
    }

    @Test
    void labelsFileThatDisagreesWithTheClassCountIsRejected() throws Exception {
        Files.copy(TestData.model("yolox-nano").resolve("yolox_nano.onnx"), tmp.resolve("yolox_nano.onnx"));
        Files.writeString(tmp.resolve("coco80.txt"), "person\nbicycle\ncar\n");
        Files.writeString(tmp.resolve("model.yaml"), yaml(""));
        ModelException e = assertThrows(ModelException.class, () -> Detector.open(ModelBundle.load(tmp), DetectorOptions.defaults()));
        assertTrue(e.getMessage().contains("80 classes") && e.getMessage().contains("lists 3"), e.getMessage());
    }

    @Test
    void wrongInputNameIsNamed() throws Exception {
        Files.copy(TestData.model("yolox-nano").resolve("yolox_nano.onnx"), tmp.resolve("yolox_nano.onnx"));
        Files.copy(TestData.model("yolox-nano").resolve("coco80.txt"), tmp.resolve("coco80.txt"));
        Files.writeString(tmp.resolve("model.yaml"), yaml("").replace("name: images", "name: pixels"));
        ModelException e = assertThrows(ModelException.class, () -> Detector.open(ModelBundle.load(tmp), DetectorOptions.defaults()));
        assertTrue(e.getMessage().contains("no input 'pixels'") && e.getMessage().contains("images"), e.getMessage());
    }

    private static String yaml(String extra) {
        return """
                name: my-yolox
                kind: detector
                file: yolox_nano.onnx
                input:
                  name: images
                  width: 416
                  height: 416
                  channels: BGR
                  resize: letterbox-topleft
                  pad: 114
                decoder:
                  type: yolox
                  output: output
                  strides: [8, 16, 32]
                labels: coco80.txt
                """ + extra;
    }
}
