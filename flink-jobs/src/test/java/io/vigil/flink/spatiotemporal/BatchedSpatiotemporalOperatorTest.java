package io.vigil.flink.spatiotemporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.flink.detect.DetectedObject;
import io.vigil.flink.detect.DetectionEvent;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The onnx backend: cameras batched through the exported step graphs, equal to the Java kernel stepped per camera. */
class BatchedSpatiotemporalOperatorTest {
    @TempDir
    Path tmp;

    private static DetectionEvent event(String camera, long f) {
        DetectionEvent e = new DetectionEvent();
        e.camera = camera;
        e.frame = f;
        e.tsMicros = f * 100_000;
        e.width = 16;
        e.height = 16;
        e.model = "m";
        e.objects = new DetectedObject[0];
        e.tensor = SsmFixture.frame(camera.hashCode() * 1000L + f);
        return e;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, DetectionEvent, DetectionEvent> harness(Path model) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new BatchedSpatiotemporalOperator(new SpatiotemporalSettings(model.toString(), "scalar", 50, 3_600_000, "onnx"), 8, 50),
                e -> e.camera, Types.STRING);
    }

    @Test
    void camerasBatchedThroughOnnxEqualTheJavaKernel() throws Exception {
        Path model = SsmFixture.write(tmp);
        SpatiotemporalModel ref = SpatiotemporalModel.load(model, "scalar");
        Map<String, StreamState> states = new HashMap<>();
        float[] want = new float[16];
        try (var h = harness(model)) {
            h.open();
            for (long f = 0; f < 4; f++) for (String c : List.of("a", "b", "c")) h.processElement(new StreamRecord<>(event(c, f), f));
            h.setProcessingTime(1000);
            List<DetectionEvent> out = h.extractOutputValues();
            assertEquals(12, out.size());
            Map<String, Long> lastFrame = new HashMap<>();
            for (DetectionEvent e : out) {
                Long prev = lastFrame.put(e.camera, e.frame);
                if (prev != null) assertEquals(prev + 1, e.frame, "per-camera order");
                StreamState s = states.computeIfAbsent(e.camera, k -> ref.newState());
                ref.step(SsmFixture.frame(e.camera.hashCode() * 1000L + e.frame), s, want);
                for (int j = 0; j < 16; j++) assertEquals(want[j], e.embedding[j], 1e-4 + 1e-4 * Math.abs(want[j]), e.camera + " frame " + e.frame);
            }
            assertEquals(9, h.numKeyedStateEntries(), "state, last seq and last time for each of 3 cameras");
        }
    }

    @Test
    void snapshotRestoreContinueEqualsUninterrupted() throws Exception {
        Path model = SsmFixture.write(tmp);
        List<float[]> straight = new ArrayList<>();
        try (var h = harness(model)) {
            h.open();
            for (long f = 0; f < 8; f++) for (String c : List.of("a", "b")) h.processElement(new StreamRecord<>(event(c, f), f));
            h.setProcessingTime(1000);
            for (DetectionEvent e : h.extractOutputValues()) straight.add(e.embedding);
        }
        List<float[]> resumed = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = harness(model)) {
            h.open();
            for (long f = 0; f < 3; f++) for (String c : List.of("a", "b")) h.processElement(new StreamRecord<>(event(c, f), f));
            h.prepareSnapshotPreBarrier(1); // what the task does before the barrier: nothing stays buffered
            snap = h.snapshot(1, 3);
            for (DetectionEvent e : h.extractOutputValues()) resumed.add(e.embedding);
        }
        try (var h = harness(model)) {
            h.setup();
            h.initializeState(snap);
            h.open();
            for (long f = 3; f < 8; f++) for (String c : List.of("a", "b")) h.processElement(new StreamRecord<>(event(c, f), f));
            h.setProcessingTime(1000);
            for (DetectionEvent e : h.extractOutputValues()) resumed.add(e.embedding);
        }
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) assertArrayEquals(straight.get(i), resumed.get(i), "event " + i);
    }
}
