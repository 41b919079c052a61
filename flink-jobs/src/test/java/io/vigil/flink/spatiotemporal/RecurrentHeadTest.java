package io.vigil.flink.spatiotemporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.config.JobConfig;
import io.vigil.events.ActionEvent;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.SideOutputs;
import io.vigil.models.onnx.OnnxGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recurrent head contract on the spatiotemporal vectors, with a TEST-FIXTURE head whose behaviour is known:
 * h' = 0.5·h + W·x, scores = h' (W picks embedding[0] for "up" and -embedding[0] for "down").
 */
class RecurrentHeadTest {
    @TempDir
    Path tmp;

    private Path head() throws Exception {
        float[] w = new float[16 * 2];
        w[0] = 1f;   // x[0] -> up
        w[1] = -1f;  // x[0] -> down
        OnnxGraph g = new OnnxGraph("fixture-head");
        g.input("x", OnnxGraph.FLOAT, "N", 16);
        g.input("state_in_0", OnnxGraph.FLOAT, "N", 2);
        g.initializer("W", w, 16, 2);
        g.initializer("half", new float[] {0.5f}, 1);
        g.node("MatMul", List.of("x", "W"), List.of("wx"));
        g.node("Mul", List.of("state_in_0", "half"), List.of("decayed"));
        g.node("Add", List.of("decayed", "wx"), List.of("state_out_0"));
        g.node("Identity", List.of("state_out_0"), List.of("scores"));
        g.output("scores", OnnxGraph.FLOAT, "N", 2);
        g.output("state_out_0", OnnxGraph.FLOAT, "N", 2);
        Path dir = Files.createDirectories(tmp.resolve("head"));
        g.write(dir.resolve("model.onnx"), 13);
        Files.writeString(dir.resolve("labels.txt"), "up\ndown\n");
        Files.writeString(dir.resolve("model.yaml"), String.join("\n", "name: fixture-head", "kind: action", "file: model.onnx",
                "labels: labels.txt", "action: {contract: recurrent, input: x, output: scores, states: {state_in_0: state_out_0}}", ""));
        return dir;
    }

    private static DetectedFrame event(String camera, long f) {
        DetectionEvent e = new DetectionEvent();
        e.camera = camera;
        e.frame = f;
        e.tsMicros = f * 100_000;
        e.width = 16;
        e.height = 16;
        e.model = "m";
        e.objects = new DetectedObject[0];
        return new DetectedFrame(e, SsmFixture.frame(new Random(camera.hashCode() + f).nextLong()));
    }

    @Test
    void headLabelsFollowItsRecurrenceOnBothBackends() throws Exception {
        Path model = SsmFixture.write(tmp);
        Path head = head();
        for (JobConfig.Backend backend : JobConfig.Backend.values()) {
            JobConfig.Spatiotemporal s = new JobConfig.Spatiotemporal(model.toString(), "scalar", backend, head.toString(), false);
            try (var h = SpatiotemporalOperatorTest.harness(s, backend == JobConfig.Backend.ONNX ? 8 : 1)) {
                h.open();
                for (long f = 0; f < 5; f++) for (String c : List.of("a", "b")) h.processElement(new StreamRecord<>(event(c, f), f));
                h.setProcessingTime(1000);
                List<DetectionEvent> out = h.extractOutputValues();
                List<ActionEvent> acts = h.getSideOutput(SideOutputs.ACTIONS).stream().map(StreamRecord::getValue).toList();
                assertEquals(10, acts.size(), backend.name());
                for (String c : List.of("a", "b")) {
                    double hUp = 0;
                    List<DetectionEvent> frames = out.stream().filter(e -> e.camera.equals(c)).toList();
                    List<ActionEvent> mine = acts.stream().filter(a -> a.camera.equals(c)).toList();
                    for (int i = 0; i < frames.size(); i++) {
                        hUp = 0.5 * hUp + frames.get(i).embedding[0];
                        ActionEvent a = mine.get(i);
                        assertEquals(frames.get(i).frame, a.frame);
                        assertEquals(hUp >= 0 ? "up" : "down", a.labels[0], backend + " " + c + " frame " + a.frame);
                        assertEquals(Math.abs(hUp), a.scores[0], 1e-4);
                        assertTrue(a.model.startsWith("fixture-head@sha256:") && a.track == -1);
                    }
                }
            }
        }
    }
}
