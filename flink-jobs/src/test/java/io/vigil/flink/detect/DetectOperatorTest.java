package io.vigil.flink.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.TestFrames;
import io.vigil.flink.config.JobConfig;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.event.SideOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DetectOperatorTest {
    private static JobConfig.Gate gate(int every, boolean motion, Duration maxAge) {
        return new JobConfig.Gate(every, motion, "mog2", maxAge, 20, 0.001, 50, Duration.ofSeconds(60)); // catch-up as shipped
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, DetectedFrame> harness(int batch, JobConfig.Gate gate) throws Exception {
        return harness(batch, gate, 1);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, DetectedFrame> harness(int batch, JobConfig.Gate gate, int concurrency)
        throws Exception {
        JobConfig.Detect s = new JobConfig.Detect(TestFrames.model("yolox-nano"), "cpu", 1, concurrency, null, batch, Duration.ofMillis(50), 1_000_000);
        return new KeyedOneInputStreamOperatorTestHarness<>(new DetectOperator(s, gate, 0, 0, null), f -> f.camera, Types.STRING);
    }

    private static List<DetectionEvent> events(KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, DetectedFrame> h) {
        return h.extractOutputValues().stream().map(f -> {
            assertNull(f.tensor, "no tensor without a spatiotemporal stage");
            return f.event;
        }).toList();
    }

    /** A frame captured now (fresh), so the frame-age limit does not apply unless asked. */
    private static FrameEnvelope fresh(String camera, long seq, byte[] jpeg) {
        FrameEnvelope f = TestFrames.frame(camera, seq, jpeg, 768, 576);
        f.tsMicros = System.currentTimeMillis() * 1000;
        return f;
    }

    @Test
    void aFixedBatchModelRunsEachFrameAsItComes() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(100, 103);
        try (var h = harness(8, gate(1, false, Duration.ZERO))) {
            h.open();
            DetectOperator op = (DetectOperator) h.getOperator();
            assertEquals(1, op.batchCapacity(), "YOLOX-Nano's batch axis is fixed: batches of 8 would only make frames wait");
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", 100, jpegs.get(0), 768, 576), 10));
            assertEquals(1, h.extractOutputValues().size(), "out at once, no timer");
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-b", 7, jpegs.get(1), 768, 576), 11));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam-c", 9, jpegs.get(2), 768, 576), 12));
            List<DetectionEvent> out = events(h);
            assertEquals(List.of("cam-a", "cam-b", "cam-c"), out.stream().map(e -> e.camera).toList());
            assertTrue(out.stream().allMatch(e -> e.inference.equals(DetectionEvent.FULL)));
            assertEquals(1.0, op.meanBatchSize(), 1e-9);
            long persons = java.util.Arrays.stream(out.get(0).objects).filter(o -> o.label.equals("person")).count();
            assertEquals(7, persons, "MODEL.md: 7 person boxes at 0.3 on frame 100");
        }
    }

    @Test
    void pixelArraysAreReusedWhetherOrNotTheLetterboxResizes() throws Exception {
        List<byte[]> full = TestFrames.vtestJpegs(100, 110);
        List<byte[]> published = new ArrayList<>(); // as the gateway publishes vtest.avi by default: 416x312, the letterbox's own size
        try (io.vigil.video.image.JpegCodec codec = new io.vigil.video.image.JpegCodec()) {
            for (byte[] j : full) published.add(codec.encode(codec.decodeResized(j, 416, 312), 80));
        }
        try (var h = harness(1, gate(1, false, Duration.ZERO))) {
            h.open();
            DetectOperator op = (DetectOperator) h.getOperator();
            for (int i = 0; i < 10; i++) h.processElement(new StreamRecord<>(TestFrames.frame("small", i, published.get(i), 416, 312), i));
            assertEquals(10, h.extractOutputValues().size());
            assertEquals(1, op.pixelArraysAllocated(), "one array, reused by every run: 416x312 needs no resize");
            for (int i = 0; i < 10; i++) h.processElement(new StreamRecord<>(TestFrames.frame("full", i, full.get(i), 768, 576), 10 + i));
            assertEquals(20, h.extractOutputValues().size());
            assertEquals(1, op.pixelArraysAllocated(), "768x576 is decoded to the same 416x312: the same array");
        }
    }

    @Test
    void runsOnTwoWorkersLeaveInArrivalOrderWithTheSameDetections() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(100, 108);
        List<List<String>> got = new ArrayList<>();
        for (int concurrency : new int[] {1, 2}) {
            try (var h = harness(1, gate(2, false, Duration.ZERO), concurrency)) {
                h.open();
                for (int i = 0; i < 8; i++) {
                    String cam = "cam-" + (char) ('a' + i % 3);
                    h.processElement(new StreamRecord<>(TestFrames.frame(cam, i, jpegs.get(i), 768, 576), i));
                }
                h.processWatermark(new Watermark(100)); // waits for the runs in flight
                got.add(events(h).stream().map(e -> e.camera + ":" + e.frame + ":" + e.inference + ":"
                        + java.util.Arrays.stream(e.objects).map(o -> o.label + java.util.Arrays.toString(o.box)).toList()).toList());
            }
        }
        assertEquals(8, got.get(1).size(), "every frame leaves once");
        assertEquals(got.get(0), got.get(1), "two runs at a time: the same events in the same order as one at a time");
        assertTrue(got.get(1).stream().filter(e -> e.contains(":full:")).allMatch(e -> e.contains("person")), got.get(1).toString());
    }

    @Test
    void aFrameArrivingWhenBothRunsAreDoneButNotYetEmittedDoesNotWaitForItself() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(100, 103);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (var h = harness(1, gate(1, false, Duration.ZERO), 2)) {
                h.open();
                h.processElement(new StreamRecord<>(TestFrames.frame("a", 0, jpegs.get(0), 768, 576), 0));
                h.processElement(new StreamRecord<>(TestFrames.frame("b", 0, jpegs.get(1), 768, 576), 1));
                Thread.sleep(500); // both runs finish; the mails that would emit them are not run by the harness
                h.processElement(new StreamRecord<>(TestFrames.frame("c", 0, jpegs.get(2), 768, 576), 2));
                h.processWatermark(new Watermark(10));
                assertEquals(List.of("a", "b", "c"), events(h).stream().map(e -> e.camera).toList());
            }
        });
    }

    @Test
    void concurrencyZeroIsTheCoresSharedAmongTheSubtasksOnACpuAndOneOnAGpu() {
        JobConfig.Detect cpu = new JobConfig.Detect("m", "cpu", 0, 0, null, 1, Duration.ofMillis(20), 1);
        assertEquals(2, DetectOperator.resolveConcurrency(cpu, 1, 2));
        assertEquals(1, DetectOperator.resolveConcurrency(cpu, 4, 2), "more subtasks than cores: one run each");
        assertEquals(4, DetectOperator.resolveConcurrency(cpu, 2, 8));
        assertEquals(1, DetectOperator.resolveConcurrency(new JobConfig.Detect("m", "cuda", 0, 0, null, 1, Duration.ofMillis(20), 1), 1, 8));
        assertEquals(3, DetectOperator.resolveConcurrency(new JobConfig.Detect("m", "cpu", 0, 3, null, 1, Duration.ofMillis(20), 1), 1, 2), "as set");
    }

    @Test
    void everyThirdFrameRunsAndTheOthersAreNotEvenDecoded() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        byte[] garbage = {(byte) 0xff, (byte) 0xd8, 1, 2, 3, (byte) 0xff, (byte) 0xd9};
        try (var h = harness(1, gate(3, false, Duration.ZERO))) {
            h.open();
            for (int seq = 0; seq < 7; seq++) {
                // frames the gate skips carry bytes no decoder would accept: they are passed on without decoding
                byte[] payload = seq % 3 == 0 ? jpegs.get(0) : garbage;
                h.processElement(new StreamRecord<>(TestFrames.frame("cam", seq, payload, 768, 576), seq));
            }
            List<String> inference = events(h).stream().map(e -> e.frame + ":" + e.inference).toList();
            assertEquals(List.of("0:full", "1:interval", "2:interval", "3:full", "4:interval", "5:interval", "6:full"), inference);
            var dead = h.getSideOutput(SideOutputs.DEADLETTER);
            assertEquals(0, dead == null ? 0 : dead.size(), "nothing decoded, nothing refused");
            assertTrue(events(h).stream().filter(e -> !e.detected()).allMatch(e -> e.objects.length == 0), "the tracker fills skipped frames, not Detect");
        }
    }

    @Test
    void theIntervalCarriesOverACheckpoint() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        OperatorSubtaskState snap;
        try (var h = harness(1, gate(3, false, Duration.ZERO))) {
            h.open();
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 0, jpegs.get(0), 768, 576), 0));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 1, jpegs.get(0), 768, 576), 1));
            snap = h.snapshot(1, 2);
        }
        try (var h = harness(1, gate(3, false, Duration.ZERO))) {
            h.initializeState(snap);
            h.open();
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 2, jpegs.get(0), 768, 576), 2));
            h.processElement(new StreamRecord<>(TestFrames.frame("cam", 3, jpegs.get(0), 768, 576), 3));
            h.processElement(new StreamRecord<>(TestFrames.frame("other", 0, jpegs.get(0), 768, 576), 4));
            assertEquals(List.of("cam:2:interval", "cam:3:full", "other:0:full"),
                    events(h).stream().map(e -> e.camera + ":" + e.frame + ":" + e.inference).toList(), "restored mid-interval; a new camera starts with a run");
        }
    }

    @Test
    void framesOlderThanTheLimitAreNotDetected() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        try (var h = harness(1, gate(1, false, Duration.ofSeconds(1)))) {
            h.open();
            // the age is measured against the camera's quickest frame (FrameAge): a frame that waited 5 s more is stale
            h.processElement(new StreamRecord<>(fresh("cam", 0, jpegs.get(0)), 0));
            FrameEnvelope old = fresh("cam", 1, jpegs.get(0));
            old.tsMicros -= 5_000_000;
            h.processElement(new StreamRecord<>(old, 1));
            h.processElement(new StreamRecord<>(fresh("cam", 2, jpegs.get(0)), 2));
            h.processElement(new StreamRecord<>(fresh("cam", 3, jpegs.get(0)), 3));
            List<String> got = events(h).stream().map(e -> e.frame + ":" + e.inference).toList();
            assertEquals(List.of("0:full", "1:overload", "2:full", "3:full"), got, "a stale frame is skipped; fresh ones run (the budget has no rate for the camera yet)");
        }
    }

    @Test
    void aGatewayClockThirtySecondsBehindOrAheadChangesNoDecision() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        for (long skew : new long[] {-30_000_000L, 30_000_000L}) {
            try (var h = harness(1, gate(1, false, Duration.ofSeconds(1)))) {
                h.open();
                for (int i = 0; i < 5; i++) {
                    FrameEnvelope f = fresh("cam", i, jpegs.get(0));
                    f.tsMicros += skew;
                    h.processElement(new StreamRecord<>(f, i));
                }
                FrameEnvelope late = fresh("cam", 5, jpegs.get(0)); // and one that really waited 3 s
                late.tsMicros += skew - 3_000_000L;
                h.processElement(new StreamRecord<>(late, 5));
                List<String> got = events(h).stream().map(e -> e.frame + ":" + e.inference).toList();
                assertEquals(List.of("0:full", "1:full", "2:full", "3:full", "4:full", "5:overload"), got, "gateway clock off by " + skew / 1_000_000 + " s");
            }
        }
    }

    @Test
    void aStillPictureStopsTheDetectorUntilSomethingMoves() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 30);
        try (var h = harness(1, gate(1, true, Duration.ZERO))) {
            h.open();
            int seq = 0;
            for (; seq < 20; seq++) h.processElement(new StreamRecord<>(fresh("cam", seq, jpegs.get(0)), seq)); // the same picture 20 times
            for (int i = 1; i < 30; i += 3, seq++) h.processElement(new StreamRecord<>(fresh("cam", seq, jpegs.get(i)), seq)); // people walk
            List<DetectionEvent> out = events(h);
            List<String> still = out.subList(8, 20).stream().map(e -> e.inference.wire()).distinct().toList();
            assertEquals(List.of(DetectionEvent.MOTION.wire()), still, "a still picture, once learnt, is skipped: " + out.stream().map(e -> e.inference).toList());
            long runsWhileWalking = out.subList(20, out.size()).stream().filter(DetectionEvent::detected).count();
            assertEquals(out.size() - 20, runsWhileWalking, "walking people: every frame runs");
        }
    }

    @Test
    void afterARestoreTheMog2ModelIsLearntAgainWithinFiveFramesWhileTheDetectorRuns() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        OperatorSubtaskState snap;
        try (var h = harness(1, gate(1, true, Duration.ZERO))) {
            h.open();
            for (int seq = 0; seq < 20; seq++) h.processElement(new StreamRecord<>(fresh("cam", seq, jpegs.get(0)), seq));
            assertEquals(DetectionEvent.MOTION, events(h).get(19).inference, "learnt: the still picture is skipped");
            snap = h.snapshot(1, 20);
        }
        try (var h = harness(1, gate(1, true, Duration.ZERO))) {
            h.initializeState(snap);
            h.open();
            for (int seq = 20; seq < 30; seq++) h.processElement(new StreamRecord<>(fresh("cam", seq, jpegs.get(0)), seq));
            List<String> got = events(h).stream().map(e -> e.inference.wire()).toList();
            assertEquals(List.of("full", "full", "full", "full", "full"), got.subList(0, 5), "the model is not in the checkpoint: 5 frames to learn, detected: " + got);
            assertEquals(List.of(DetectionEvent.MOTION.wire()), got.subList(5, 10).stream().distinct().toList(), "learnt again: " + got);
        }
    }

    @Test
    void skippedAndDetectedFramesLeaveInOrderBeforeAWatermark() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        try (var h = harness(1, gate(2, false, Duration.ZERO))) {
            h.open();
            for (int seq = 0; seq < 4; seq++) h.processElement(new StreamRecord<>(TestFrames.frame("cam", seq, jpegs.get(0), 768, 576), seq));
            h.processWatermark(new Watermark(3));
            ConcurrentLinkedQueue<Object> all = h.getOutput();
            Object[] seq = all.toArray();
            assertEquals(5, seq.length);
            for (int i = 0; i < 4; i++) assertEquals(i, ((DetectedFrame) ((StreamRecord<?>) seq[i]).getValue()).event.frame);
            assertTrue(seq[4] instanceof Watermark);
        }
    }

    @Test
    void badFramesGoToTheDeadLetterOutputWithTheirReason() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(0, 1);
        try (var h = harness(8, gate(1, false, Duration.ZERO))) {
            h.open();
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
            assertEquals(List.of(7L), events(h).stream().map(e -> e.frame).toList());
            List<DeadLetter> dl = h.getSideOutput(SideOutputs.DEADLETTER).stream().map(StreamRecord::getValue).toList();
            assertEquals(4, dl.size());
            assertTrue(dl.get(0).reason.contains("vigil-ts is missing") && dl.get(0).offset == 33 && dl.get(0).partition == 1);
            assertTrue(dl.stream().anyMatch(d -> d.frame == 4 && d.reason.startsWith("corrupt image")), dl.toString());
            assertTrue(dl.stream().anyMatch(d -> d.frame == 5 && d.reason.contains("headers say 640x480")));
            assertTrue(dl.stream().anyMatch(d -> d.frame == 6 && d.reason.contains("over the limit")));
        }
    }

    /**
     * {@code state/detect-operator-v1.snapshot} was taken from the Detect operator before it was split into parts
     * (commit bd9fb07's tree: every 3rd frame, running-average motion, frames 0-4 of camera cam-a, vtest.avi frames
     * 100-104). Restored into this release and fed frames 5-8, it decides and detects exactly as an uninterrupted run of
     * this release over frames 0-8: the gate's state (interval phase, motion background) kept its bytes.
     */
    @Test
    void aCheckpointOfTheReleaseBeforeTheSplitRestores() throws Exception {
        List<byte[]> jpegs = TestFrames.vtestJpegs(100, 109);
        JobConfig.Gate g = new JobConfig.Gate(3, true, "average", Duration.ZERO, 20, 0.001, 50, Duration.ZERO);
        List<String> straight;
        try (var h = harness(1, g)) {
            h.open();
            for (int i = 0; i < 9; i++) h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", i, jpegs.get(i), 768, 576), i));
            straight = events(h).stream().skip(5).map(DetectOperatorTest::describe).toList();
        }
        String file = java.nio.file.Path.of(DetectOperatorTest.class.getResource("/state/detect-operator-v1.snapshot").toURI()).toString();
        List<String> resumed;
        try (var h = harness(1, g)) {
            h.initializeState(org.apache.flink.streaming.util.OperatorSnapshotUtil.readStateHandle(file));
            h.open();
            for (int i = 5; i < 9; i++) h.processElement(new StreamRecord<>(TestFrames.frame("cam-a", i, jpegs.get(i), 768, 576), i));
            resumed = events(h).stream().map(DetectOperatorTest::describe).toList();
        }
        assertEquals(4, resumed.size());
        assertTrue(resumed.stream().anyMatch(d -> d.contains(" full ")) && resumed.stream().anyMatch(d -> d.contains(" interval ")), resumed.toString());
        assertEquals(straight, resumed);
    }

    private static String describe(DetectionEvent e) {
        return e.frame + " " + e.inference + " " + java.util.Arrays.stream(e.objects).map(o -> o.label + java.util.Arrays.toString(o.box)).toList();
    }
}
