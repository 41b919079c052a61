package io.vigil.flink.spatiotemporal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.config.JobConfig;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.state.ResetPolicy;
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

/** Both backends: the Java kernel camera by camera, and the ONNX step graphs with the cameras of a micro-batch stacked. */
class SpatiotemporalOperatorTest {
    @TempDir
    Path tmp;

    static DetectedFrame event(String camera, long f) {
        DetectionEvent e = new DetectionEvent();
        e.camera = camera;
        e.frame = f;
        e.tsMicros = f * 100_000;
        e.width = 16;
        e.height = 16;
        e.model = "m";
        e.objects = new DetectedObject[0];
        return new DetectedFrame(e, SsmFixture.frame(camera.hashCode() * 1000L + f));
    }

    static JobConfig.Spatiotemporal settings(Path model, String kernel, JobConfig.Backend backend, boolean saliency) {
        return new JobConfig.Spatiotemporal(model.toString(), kernel, backend, null, saliency);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectionEvent> harness(JobConfig.Spatiotemporal s, int batch)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new SpatiotemporalOperator(s, ResetPolicy.DEFAULTS, batch, 50),
                DetectedFrame::camera, Types.STRING);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectionEvent> harness(Path model, String kernel) throws Exception {
        return harness(settings(model, kernel, JobConfig.Backend.JAVA, false), 1);
    }

    @Test
    void embeddingsEqualTheModelSteppedPerCamera() throws Exception {
        Path model = SsmFixture.write(tmp);
        SpatiotemporalModel ref = SpatiotemporalModel.load(model, "scalar");
        StreamState a = ref.newState();
        StreamState b = ref.newState();
        float[] want = new float[16];
        try (var h = harness(model, "scalar")) {
            h.open();
            for (long f = 0; f < 6; f++) {
                h.processElement(new StreamRecord<>(event("a", f), f));
                h.processElement(new StreamRecord<>(event("b", f), f));
            }
            List<DetectionEvent> out = h.extractOutputValues();
            assertEquals(12, out.size());
            for (DetectionEvent e : out) {
                ref.step(SsmFixture.frame(e.camera.hashCode() * 1000L + e.frame), e.camera.equals("a") ? a : b, want);
                assertArrayEquals(want, e.embedding, e.camera + " frame " + e.frame);
            }
            assertEquals(6, h.numKeyedStateEntries(), "state, last seq and last time for each camera");
        }
    }

    @Test
    void saliencyIsTheModelsImplicitAttentionScaledToOne() throws Exception {
        Path model = SsmFixture.write(tmp);
        SpatiotemporalModel ref = SpatiotemporalModel.load(model, "scalar");
        StreamState st = ref.newState();
        float[] out = new float[16];
        try (var h = harness(settings(model, "scalar", JobConfig.Backend.JAVA, true), 1)) {
            h.open();
            for (long f = 0; f < 3; f++) h.processElement(new StreamRecord<>(event("a", f), f));
            for (DetectionEvent e : h.extractOutputValues()) {
                ref.step(SsmFixture.frame("a".hashCode() * 1000L + e.frame), st, out);
                float[] want = new float[ref.config().tokens()];
                ref.saliency(want);
                float max = 0;
                for (float v : want) max = Math.max(max, v);
                assertEquals(ref.config().rows(), e.saliency.rows);
                assertEquals(ref.config().cols(), e.saliency.cols);
                float top = 0;
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i] / max, e.saliency.values[i], 1e-6, "patch " + i);
                    top = Math.max(top, e.saliency.values[i]);
                }
                assertEquals(1f, top, 1e-6);
                String json = io.vigil.flink.event.DetectionEventSerializer.toJson(e, 1);
                org.junit.jupiter.api.Assertions.assertTrue(json.contains("\"saliency\":{\"rows\":" + e.saliency.rows), json);
            }
        }
    }

    @Test
    void snapshotRestoreContinueIsBitIdentical() throws Exception {
        Path model = SsmFixture.write(tmp);
        List<float[]> straight = new ArrayList<>();
        try (var h = harness(model, "vector")) {
            h.open();
            for (long f = 0; f < 12; f++) h.processElement(new StreamRecord<>(event("a", f), f));
            for (DetectionEvent e : h.extractOutputValues()) straight.add(e.embedding);
        }
        List<float[]> resumed = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = harness(model, "vector")) {
            h.open();
            for (long f = 0; f < 5; f++) h.processElement(new StreamRecord<>(event("a", f), f));
            snap = h.snapshot(1, 5);
            for (DetectionEvent e : h.extractOutputValues()) resumed.add(e.embedding);
        }
        try (var h = harness(model, "vector")) {
            h.setup();
            h.initializeState(snap);
            h.open();
            for (long f = 5; f < 12; f++) h.processElement(new StreamRecord<>(event("a", f), f));
            for (DetectionEvent e : h.extractOutputValues()) resumed.add(e.embedding);
        }
        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) assertArrayEquals(straight.get(i), resumed.get(i), "frame " + i);
    }

    @Test
    void replaysPassWithoutAStepAndGapsResetWithAReason() throws Exception {
        Path model = SsmFixture.write(tmp);
        try (var h = harness(model, "scalar")) {
            h.open();
            for (long f = 0; f < 3; f++) h.processElement(new StreamRecord<>(event("a", f), f));
            h.processElement(new StreamRecord<>(event("a", 1), 1));
            h.processElement(new StreamRecord<>(event("a", 100), 100));
            List<DetectionEvent> out = h.extractOutputValues();
            assertNull(out.get(3).embedding, "a replayed frame does not advance the state");
            assertTrue(out.get(4).reset.contains("97 frames missing"), out.get(4).reset);
            DetectedFrame idle = event("a", 101);
            idle.event.tsMicros += 120_000_000; // two minutes without frames
            h.processElement(new StreamRecord<>(idle, 101));
            String why = h.extractOutputValues().get(5).reset;
            assertTrue(why != null && why.contains("camera paused for"), why);
            SpatiotemporalModel ref = SpatiotemporalModel.load(model, "scalar");
            float[] fresh = new float[16];
            ref.step(SsmFixture.frame("a".hashCode() * 1000L + 100), ref.newState(), fresh);
            assertArrayEquals(fresh, out.get(4).embedding, "after the reset the state starts from zero");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectionEvent> onnxHarness(Path model) throws Exception {
        return harness(settings(model, "scalar", JobConfig.Backend.ONNX, false), 8);
    }

    @Test
    void camerasBatchedThroughOnnxEqualTheJavaKernel() throws Exception {
        Path model = SsmFixture.write(tmp);
        SpatiotemporalModel ref = SpatiotemporalModel.load(model, "scalar");
        Map<String, StreamState> states = new HashMap<>();
        float[] want = new float[16];
        try (var h = onnxHarness(model)) {
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
    void onnxSnapshotRestoreContinueEqualsUninterrupted() throws Exception {
        Path model = SsmFixture.write(tmp);
        List<float[]> straight = new ArrayList<>();
        try (var h = onnxHarness(model)) {
            h.open();
            for (long f = 0; f < 8; f++) for (String c : List.of("a", "b")) h.processElement(new StreamRecord<>(event(c, f), f));
            h.setProcessingTime(1000);
            for (DetectionEvent e : h.extractOutputValues()) straight.add(e.embedding);
        }
        List<float[]> resumed = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = onnxHarness(model)) {
            h.open();
            for (long f = 0; f < 3; f++) for (String c : List.of("a", "b")) h.processElement(new StreamRecord<>(event(c, f), f));
            h.prepareSnapshotPreBarrier(1); // what the task does before the barrier: nothing stays buffered
            snap = h.snapshot(1, 3);
            for (DetectionEvent e : h.extractOutputValues()) resumed.add(e.embedding);
        }
        try (var h = onnxHarness(model)) {
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
