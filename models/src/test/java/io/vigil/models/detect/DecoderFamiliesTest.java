package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.onnx.FixtureModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each detector family through a real ONNX Runtime session on a graph with exactly known outputs. Frames are
 * 128x128 and stretched to the 64x64 input, so frame coordinates are input coordinates x 2.
 */
class DecoderFamiliesTest {
    @TempDir
    Path tmp;

    private static final List<String> LABELS = List.of("cat", "dog");

    private static byte[] grey(int v) {
        byte[] b = new byte[128 * 128 * 3];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static List<Detection> detect(Path dir) {
        try (Detector d = Detector.open(ModelBundle.load(dir), DetectorOptions.defaults().withThreads(1))) {
            assertTrue(d.dynamicBatch());
            return d.detect(grey(0), 128, 128).detections();
        }
    }

    private static void assertBox(Detection d, String label, float score, float x1, float y1, float x2, float y2) {
        assertEquals(label, d.label());
        assertEquals(score, d.score(), 1e-5);
        assertEquals(x1, d.x1(), 1e-3);
        assertEquals(y1, d.y1(), 1e-3);
        assertEquals(x2, d.x2(), 1e-3);
        assertEquals(y2, d.y2(), 1e-3);
    }

    static final float[] V5 = {
            16, 16, 8, 8, 0.9f, 0.2f, 0.8f,     // dog 0.72, input (12,12)-(20,20)
            40, 40, 16, 8, 0.5f, 0.9f, 0.1f,    // cat 0.45, input (32,36)-(48,44)
            10, 10, 4, 4, 0.2f, 0.9f, 0.9f};    // objectness too low

    @Test
    void yolov5() {
        List<Detection> d = detect(FixtureModels.write(tmp.resolve("v5"), "yolov5", V5, new float[V5.length], new long[] {3, 7},
                "  {type: yolov5, output: output}", LABELS));
        assertEquals(2, d.size(), d.toString());
        assertBox(d.get(0), "dog", 0.72f, 24, 24, 40, 40);
        assertBox(d.get(1), "cat", 0.45f, 64, 72, 96, 88);
    }

    @Test
    void yolov8() {
        float[] c = { // [4+2][3], channel-major
                16, 40, 10,
                16, 40, 10,
                8, 16, 4,
                8, 8, 4,
                0.1f, 0.6f, 0.1f,
                0.7f, 0.2f, 0.1f};
        List<Detection> d = detect(FixtureModels.write(tmp.resolve("v8"), "yolov8", c, new float[c.length], new long[] {6, 3},
                "  {type: yolov8, output: output}", LABELS));
        assertEquals(2, d.size(), d.toString());
        assertBox(d.get(0), "dog", 0.7f, 24, 24, 40, 40);
        assertBox(d.get(1), "cat", 0.6f, 64, 72, 96, 88);
    }

    @Test
    void endToEndKeepsOverlapsBecauseTheModelRanNms() {
        float[] c = {
                10, 10, 20, 30, 0.9f, 1,
                0, 0, 0, 0, 0, 0,          // padding row
                10, 10, 20, 28, 0.5f, 1};  // overlaps the first: an e2e model already decided to keep it
        List<Detection> d = detect(FixtureModels.write(tmp.resolve("e2e"), "e2e", c, new float[c.length], new long[] {3, 6},
                "  {type: e2e, output: output}", LABELS));
        assertEquals(2, d.size(), d.toString());
        assertBox(d.get(0), "dog", 0.9f, 20, 20, 40, 60);
        assertBox(d.get(1), "dog", 0.5f, 20, 20, 40, 56);
    }

    @Test
    void normalisedEndToEnd() {
        float[] c = {0.25f, 0.5f, 0.5f, 1f, 0.8f, 0};
        List<Detection> d = detect(FixtureModels.write(tmp.resolve("e2en"), "e2e", c, new float[c.length], new long[] {1, 6},
                "  {type: e2e, output: output, normalized: true}", LABELS));
        assertBox(d.get(0), "cat", 0.8f, 32, 64, 64, 128);
    }

    @Test
    void eightFramesInOneRunEqualEightSingleRuns() {
        float[] m = new float[V5.length];
        m[0] = 0.1f;   // row 0 moves right with the picture's brightness
        m[1] = 0.05f;
        Path dir = FixtureModels.write(tmp.resolve("batch"), "yolov5", V5, m, new long[] {3, 7}, "  {type: yolov5, output: output}", LABELS);
        List<FrameInput> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) frames.add(new FrameInput(grey(i * 30), 128, 128));
        try (Detector d = Detector.open(ModelBundle.load(dir), DetectorOptions.defaults().withThreads(1).withMaxBatch(8))) {
            assertEquals(8, d.batchCapacity());
            List<DetectionResult> batched = d.detectBatch(frames);
            assertEquals(8, batched.size());
            for (int i = 0; i < 8; i++) {
                List<Detection> single = d.detect(frames.get(i).bgr(), 128, 128).detections();
                assertEquals(single, batched.get(i).detections(), "frame " + i);
            }
            assertEquals(24 + 2 * 0.1f * 210, batched.get(7).detections().get(0).x1(), 1e-2, "frame 7 is brightness 210");
        }
    }

    @Test
    void fixedBatchModelRunsFrameByFrame() {
        try (Detector d = Detector.open(ModelBundle.load(io.vigil.models.TestData.model("yolox-nano")),
                DetectorOptions.defaults().withThreads(2).withMaxBatch(8))) {
            assertEquals(1, d.batchCapacity());
            io.vigil.video.image.BgrImage f = io.vigil.models.TestData.vtestFrame(100);
            List<DetectionResult> r = d.detectBatch(List.of(new FrameInput(f.pixels(), f.width(), f.height()),
                    new FrameInput(f.pixels(), f.width(), f.height())));
            assertEquals(r.get(0).detections(), r.get(1).detections());
            assertEquals(10, r.get(0).detections().size());
        }
    }

    @Test
    void outputThatFitsNoDecoderIsNamed() {
        float[] c = new float[3];
        Path dir = FixtureModels.write(tmp.resolve("bad"), "yolov8", c, c, new long[] {3}, "  {type: yolov8, output: output}", LABELS);
        ModelException e = assertThrows(ModelException.class, () -> Detector.open(ModelBundle.load(dir), DetectorOptions.defaults()));
        assertTrue(e.getMessage().contains("output 'output' has shape [-1, 3]") && e.getMessage().contains("4+classes"), e.getMessage());
    }
}
