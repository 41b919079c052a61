package io.vigil.flink.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.kafka.FrameEnvelope;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DetectOperatorTest {
    private static String modelPath() {
        Path p = Path.of(System.getProperty("vigil.shared", "../shared"), "models", "yolox-nano");
        if (!Files.isDirectory(p)) throw new IllegalStateException("model folder missing: " + p.toAbsolutePath());
        return p.toAbsolutePath().toString();
    }

    private static FrameEnvelope frame(String camera, long seq, byte[] jpeg, int w, int h) {
        FrameEnvelope f = new FrameEnvelope();
        f.camera = camera;
        f.seq = seq;
        f.tsMicros = 1_700_000_000_000_000L + seq * 100_000;
        f.width = w;
        f.height = h;
        f.codec = "jpeg";
        f.payload = jpeg;
        f.topic = "vigil.frames";
        return f;
    }

    @Test
    void detectsGoodFramesAndSkipsBadOnesWithoutFailing() throws Exception {
        byte[] jpeg;
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; i <= 100; i++) src.next();
            jpeg = src.encodeJpeg(90, 0, 0).bytes();
        }
        DetectOperator op = new DetectOperator(modelPath(), ExecutionProvider.CPU, 1, null);
        try (OneInputStreamOperatorTestHarness<FrameEnvelope, DetectionEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(op)) {
            FrameEnvelope bad = new FrameEnvelope();
            bad.camera = "cam";
            bad.error = "MISSING_HEADER: camera cam: header vigil-ts is missing";
            h.processElement(bad, 0);
            h.processElement(frame("cam", 1, new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2, 3}, 768, 576), 0);
            h.processElement(frame("cam", 2, jpeg, 640, 480), 0); // headers disagree with the image
            h.processElement(frame("cam", 3, jpeg, 768, 576), 0);
            List<DetectionEvent> out = h.extractOutputValues();
            assertEquals(1, out.size());
            DetectionEvent e = out.get(0);
            assertEquals("cam", e.camera);
            assertEquals(3, e.frame);
            assertEquals("yolox-nano@sha256:695e750a5d57", e.model);
            long persons = java.util.Arrays.stream(e.objects).filter(o -> o.label.equals("person")).count();
            assertEquals(7, persons, "MODEL.md: 7 person boxes at 0.3 on frame 100");
            for (DetectedObject o : e.objects) {
                assertEquals(o.box[0] / 768, o.boxNorm[0], 1e-6);
                assertEquals(o.box[3] / 576, o.boxNorm[3], 1e-6);
                assertTrue(o.score >= 0.3f);
            }
        }
    }
}
