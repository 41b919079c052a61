package io.vigil.examples.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.onnx.ConstantGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin through Vigil's own detector: a CenterNet-shaped graph built in code with known heatmap peaks, sizes and
 * offsets, loaded from a model.yaml that names {@code type: centernet} (found by ServiceLoader on this module's
 * classpath), decoded into the boxes the peaks stand for, in frame pixels.
 */
class CenterNetDecoderTest {
    @TempDir
    Path tmp;

    /** A 64x64-input model on a 16x16 grid (stride 4), classes person and car. */
    static Path model(Path dir, String decoderOptions) throws Exception {
        int g = 16;
        float[] hm = new float[2 * g * g];
        float[] wh = new float[2 * g * g];
        float[] reg = new float[2 * g * g];
        hm[6 * g + 4] = 0.9f;            // person peak at cell (4, 6)
        hm[6 * g + 5] = 0.5f;            // its neighbour: not a peak
        hm[g * g + 3 * g + 10] = 0.7f;   // car peak at cell (10, 3)
        hm[12 * g + 12] = 0.2f;          // a person peak under the threshold
        wh[6 * g + 4] = 12;
        wh[g * g + 6 * g + 4] = 20;
        wh[3 * g + 10] = 8;
        wh[g * g + 3 * g + 10] = 8;
        reg[6 * g + 4] = 0.25f;
        reg[g * g + 6 * g + 4] = 0.75f;
        byte[] onnx = new ConstantGraph().output("hm", hm, 2, g, g).output("wh", wh, 2, g, g).output("reg", reg, 2, g, g).toModel(64, 64);
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), onnx);
        Files.writeString(dir.resolve("labels.txt"), "person\ncar\n");
        Files.writeString(dir.resolve("model.yaml"), String.join("\n",
                "name: centernet-fixture",
                "kind: detector",
                "file: model.onnx",
                "input: {name: images, width: 64, height: 64, channels: BGR, resize: stretch, scale: 1.0}",
                "decoder: {type: centernet, options: {" + decoderOptions + "}}",
                "labels: labels.txt",
                "scoreThreshold: 0.3",
                "nms: class-aware",
                ""));
        return dir;
    }

    @Test
    void thePeaksBecomeBoxesInFramePixels() throws Exception {
        Path dir = model(tmp.resolve("m"), "heatmap: hm, size: wh, offset: reg, stride: 4");
        try (Detector d = Detector.open(ModelBundle.load(dir), DetectorOptions.defaults())) {
            // a 128x128 frame stretched to the 64x64 input: frame pixels are twice the input's
            List<Detection> found = d.detect(new byte[128 * 128 * 3], 128, 128).detections().stream()
                    .sorted(Comparator.comparing(Detection::label).reversed()).toList();
            assertEquals(2, found.size(), found.toString());
            Detection person = found.get(0), car = found.get(1);
            assertEquals("person", person.label());
            assertEquals(0.9f, person.score(), 1e-6);
            // centre ((4 + 0.25) * 4, (6 + 0.75) * 4) = (17, 27), 12 x 20: [11, 17, 23, 37] in the input
            assertArrayEquals(new float[] {22, 34, 46, 74}, new float[] {person.x1(), person.y1(), person.x2(), person.y2()}, 1e-3f);
            assertEquals("car", car.label());
            assertArrayEquals(new float[] {72, 16, 88, 32}, new float[] {car.x1(), car.y1(), car.x2(), car.y2()}, 1e-3f);
        }
    }

    @Test
    void missingOptionsAndWrongShapesAreNamed() throws Exception {
        Path noStride = model(tmp.resolve("a"), "heatmap: hm, size: wh");
        ModelException e = assertThrows(ModelException.class, () -> Detector.open(ModelBundle.load(noStride), DetectorOptions.defaults()).close());
        assertTrue(e.getMessage().contains("decoder.options.stride is missing"), e.getMessage());
        Path wrongSize = model(tmp.resolve("b"), "heatmap: hm, size: reg_missing, stride: 4");
        e = assertThrows(ModelException.class, () -> Detector.open(ModelBundle.load(wrongSize), DetectorOptions.defaults()).close());
        assertTrue(e.getMessage().contains("reg_missing"), e.getMessage());
    }
}
