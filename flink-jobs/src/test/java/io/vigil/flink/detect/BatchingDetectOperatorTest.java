package io.vigil.flink.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.events.DetectionEvent;
import io.vigil.flink.TestFrames;
import io.vigil.flink.config.JobConfig;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.models.onnx.FixtureModels;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch path, with a detector whose batch axis is dynamic: a fixture graph (FixtureModels) that gives each image of
 * a run one box whose score is the image's mean grey level / 255, so every event says which frame it was computed
 * from. Frames of several cameras share runs of up to 4; a partial batch leaves on its timer, at a watermark, before
 * a checkpoint barrier and at the end of input; every frame leaves once, in arrival order, with its own score.
 *
 * <p>The gate is off here ({@code maxFrameAge 0}): what is tested is how frames are grouped and flushed, which a
 * frame-age decision taken on the test machine's clock would only blur; the shipped gate has its own tests.
 */
class BatchingDetectOperatorTest {
    @TempDir
    Path dir;

    /** e2e head [N, 1, 6]: box (10, 10, 30, 30) in input pixels, score = mean / 255, class 0. */
    private Path model() {
        float[] c = {10, 10, 30, 30, 0, 0};
        float[] m = {0, 0, 0, 0, 1f / 255, 0};
        return FixtureModels.write(dir.resolve("grey"), "e2e", c, m, new long[] {1, 6}, "  {type: e2e, output: output}", List.of("grey"));
    }

    private KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, DetectedFrame> harness(int batch) throws Exception {
        JobConfig.Detect s = new JobConfig.Detect(model().toString(), "cpu", 1, 1, null, batch, Duration.ofMillis(50), 1_000_000);
        JobConfig.Gate gate = new JobConfig.Gate(1, false, "mog2", Duration.ZERO, 20, 0.001, 50, Duration.ofSeconds(60));
        return new KeyedOneInputStreamOperatorTestHarness<>(new DetectOperator(s, gate, 0, 0, null), f -> f.camera, Types.STRING);
    }

    /** A uniform 64x64 frame of grey level {@code g}. */
    private static byte[] grey(int g) {
        byte[] px = new byte[64 * 64 * 3];
        Arrays.fill(px, (byte) g);
        try (JpegCodec c = new JpegCodec()) {
            return c.encode(new BgrImage(64, 64, px), 95);
        }
    }

    private static StreamRecord<FrameEnvelope> frame(String camera, long seq, int g, long ts) {
        return new StreamRecord<>(TestFrames.frame(camera, seq, grey(g), 64, 64), ts);
    }

    /** camera@seq:score of each event so far. */
    private static List<String> out(KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, DetectedFrame> h) {
        return h.extractOutputValues().stream().map(f -> {
            DetectionEvent e = f.event;
            return e.camera + "@" + e.frame + ":" + (e.objects.length == 1 ? String.format(Locale.ROOT, "%.2f", e.objects[0].score) : "none");
        }).toList();
    }

    @Test
    void framesOfSeveralCamerasShareRunsAndEachKeepsItsOwnDetections() throws Exception {
        try (var h = harness(4)) {
            h.setProcessingTime(0);
            h.open();
            DetectOperator op = (DetectOperator) h.getOperator();
            assertEquals(4, op.batchCapacity(), "the fixture's batch axis is dynamic: runs of up to --batch-size frames");
            // a full batch runs at once
            h.processElement(frame("a", 0, 100, 1));
            h.processElement(frame("b", 0, 150, 2));
            h.processElement(frame("c", 0, 200, 3));
            assertEquals(List.of(), out(h), "a partial batch waits for more frames");
            h.processElement(frame("d", 0, 250, 4));
            assertEquals(List.of("a@0:0.39", "b@0:0.59", "c@0:0.78", "d@0:0.98"), out(h), "the 4th frame fills the run; arrival order, own scores");
            assertEquals(4.0, op.meanBatchSize(), 1e-9);
        }
    }

    @Test
    void aPartialBatchLeavesOnItsTimerAtAWatermarkBeforeABarrierAndAtTheEnd() throws Exception {
        try (var h = harness(4)) {
            h.setProcessingTime(0);
            h.open();
            h.processElement(frame("a", 0, 100, 1));
            h.processElement(frame("b", 0, 200, 2));
            h.setProcessingTime(49);
            assertEquals(0, h.extractOutputValues().size(), "not before the 50 ms batch timeout");
            h.setProcessingTime(50);
            assertEquals(List.of("a@0:0.39", "b@0:0.78"), out(h), "the timer flushed the run of 2");

            h.processElement(frame("a", 1, 120, 3));
            h.processWatermark(new Watermark(3));
            List<Object> all = List.copyOf(h.getOutput());
            assertTrue(all.get(all.size() - 1) instanceof Watermark, "nothing comes out behind its watermark: " + all);
            assertEquals("a@1:0.47", out(h).get(2));

            h.processElement(frame("c", 0, 240, 4));
            h.prepareSnapshotPreBarrier(1);
            assertEquals("c@0:0.94", out(h).get(3), "flushed before the checkpoint barrier");
            h.snapshot(1, 5);

            h.processElement(frame("b", 1, 90, 5));
            h.processElement(frame("d", 0, 180, 6));
            h.getOperator().finish(); // the end of the input: FlushingOperator flushes in finish()
            assertEquals(List.of("a@0:0.39", "b@0:0.78", "a@1:0.47", "c@0:0.94", "b@1:0.35", "d@0:0.71"), out(h), "the end of input flushes the rest");
            DetectOperator op = (DetectOperator) h.getOperator();
            assertEquals(6 / 4.0, op.meanBatchSize(), 1e-9, "runs of 2, 1, 1, 2");
        }
    }
}
