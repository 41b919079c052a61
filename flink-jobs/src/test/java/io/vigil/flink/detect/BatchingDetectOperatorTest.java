package io.vigil.flink.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.TestFrames;
import io.vigil.flink.config.JobConfig;
import io.vigil.flink.event.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.flink.event.DetectionEvent;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.event.SideOutputs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class BatchingDetectOperatorTest {
    private static OneInputStreamOperatorTestHarness<FrameEnvelope, DetectedFrame> harness(int batch, long timeoutMs) throws Exception {
        JobConfig.Detect s = new JobConfig.Detect(TestFrames.model("yolox-nano"), "cpu", 1, null, batch, Duration.ofMillis(timeoutMs), 1_000_000);
        OneInputStreamOperatorTestHarness<FrameEnvelope, DetectedFrame> h = new OneInputStreamOperatorTestHarness<>(new BatchingDetectOperator(s));
        h.open();
        return h;
    }

    private static List<DetectionEvent> events(OneInputStreamOperatorTestHarness<FrameEnvelope, DetectedFrame> h) {
        return h.extractOutputValues().stream().map(f -> {
            assertNull(f.tensor, "no tensor without a spatiotemporal stage");
            return f.event;
        }).toList();
    }

    @Test
    void batchesAcrossCamerasUntilFullOrTimedOut() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(100, 103);
        try (var h = harness(4, 50)) {
            BatchingDetectOperator op = (BatchingDetectOperator) h.getOperator();
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", 100, jpegs.get(0), 768, 576), 10));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-b", 7, jpegs.get(1), 768, 576), 11));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-c", 9, jpegs.get(2), 768, 576), 12));
            assertEquals(0, h.extractOutputValues().size(), "waiting for the batch to fill");
            h.setProcessingTime(100); // the timeout fires
            List<DetectionEvent> out = events(h);
            assertEquals(3, out.size());
            assertEquals(List.of("cam-a", "cam-b", "cam-c"), out.stream().map(e -> e.camera).toList());
            assertEquals(3.0, op.meanBatchSize(), 1e-9);
            long persons = java.util.Arrays.stream(out.get(0).objects).filter(o -> o.label.equals("person")).count();
            assertEquals(7, persons, "MODEL.md: 7 person boxes at 0.3 on frame 100");
            for (int i = 0; i < 4; i++) h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", 101 + i, jpegs.get(0), 768, 576), 20 + i));
            assertEquals(7, h.extractOutputValues().size(), "a full batch goes at once");
            assertEquals(3.5, op.meanBatchSize(), 1e-9);
        }
    }

    @Test
    void flushesBeforeTheCheckpointBarrierAndBeforeWatermarks() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        try (var h = harness(8, 60_000)) {
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 1, jpegs.get(0), 768, 576), 5));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(1, h.extractOutputValues().size(), "nothing in flight at a checkpoint");
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 2, jpegs.get(0), 768, 576), 6));
            h.processWatermark(new Watermark(7));
            ConcurrentLinkedQueue<Object> all = h.getOutput();
            Object[] seq = all.toArray();
            assertTrue(seq[seq.length - 2] instanceof StreamRecord, "the buffered event comes before the watermark");
            assertTrue(seq[seq.length - 1] instanceof Watermark);
        }
    }

    @Test
    void badFramesGoToTheDeadLetterOutputWithTheirReason() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        try (var h = harness(8, 10)) {
            FrameEnvelope broken = new FrameEnvelope();
            broken.camera = "cam";
            broken.seq = 3;
            broken.topic = "vigil.frames";
            broken.partition = 1;
            broken.offset = 33;
            broken.error = "MISSING_HEADER: camera cam seq 3: header vigil-ts is missing";
            h.processElement(new StreamRecord<>(broken, 1));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 4, new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2}, 768, 576), 2));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 5, jpegs.get(0), 640, 480), 3));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 6, jpegs.get(0), 20_000, 20_000), 4));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 7, jpegs.get(0), 768, 576), 5));
            h.setProcessingTime(1000);
            assertEquals(List.of(7L), events(h).stream().map(e -> e.frame).toList());
            List<DeadLetter> dl = h.getSideOutput(SideOutputs.DEADLETTER).stream().map(StreamRecord::getValue).toList();
            assertEquals(4, dl.size());
            assertTrue(dl.get(0).reason.contains("vigil-ts is missing") && dl.get(0).offset == 33 && dl.get(0).partition == 1);
            assertTrue(dl.stream().anyMatch(d -> d.frame == 4 && d.reason.startsWith("corrupt image")), dl.toString());
            assertTrue(dl.stream().anyMatch(d -> d.frame == 5 && d.reason.contains("headers say 640x480")));
            assertTrue(dl.stream().anyMatch(d -> d.frame == 6 && d.reason.contains("over the limit")));
        }
    }
}
