package io.vigil.models.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.onnx.OnnxGraph;
import io.vigil.models.runtime.ExecutionProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recurrent contract on a graph with a known recurrence: h' = 0.5·h + x, y = 2·h'. */
class RecurrentActionModelTest {
    @TempDir
    Path tmp;

    private Path model(String stateOut) throws Exception {
        OnnxGraph g = new OnnxGraph("recurrence");
        g.input("x", OnnxGraph.FLOAT, "N", 2);
        g.input("state_in_0", OnnxGraph.FLOAT, "N", 2);
        g.initializer("half", new float[] {0.5f}, 1);
        g.initializer("two", new float[] {2f}, 1);
        g.node("Mul", List.of("state_in_0", "half"), List.of("decayed"));
        g.node("Add", List.of("decayed", "x"), List.of("state_out_0"));
        g.node("Mul", List.of("state_out_0", "two"), List.of("scores"));
        g.output("scores", OnnxGraph.FLOAT, "N", 2);
        g.output("state_out_0", OnnxGraph.FLOAT, "N", 2);
        g.write(tmp.resolve("model.onnx"), 13);
        Files.writeString(tmp.resolve("labels.txt"), "left\nright\n");
        Files.writeString(tmp.resolve("model.yaml"), String.join("\n",
                "name: recurrence", "kind: action", "file: model.onnx", "labels: labels.txt",
                "action:", "  contract: recurrent", "  input: x", "  output: scores",
                "  states: {state_in_0: " + stateOut + "}", ""));
        return tmp;
    }

    @Test
    void callerOwnsTheStateAndStreamsBatch() throws Exception {
        try (RecurrentActionModel m = RecurrentActionModel.open(ModelBundle.load(model("state_out_0")), ExecutionProvider.CPU, 1)) {
            assertEquals(List.of("state_in_0"), m.stateNames());
            float[][][] states = {m.newState(), m.newState(), m.newState()};
            states[2][0] = new float[] {4, -4};
            float[][] x = {{1, 0}, {0, 1}, {1, 1}};
            float[][] y = m.step(x, states);
            assertArrayEquals(new float[] {2, 0}, y[0]);
            assertArrayEquals(new float[] {1, 0}, states[0][0]);
            assertArrayEquals(new float[] {3, -1}, states[2][0]); // 0.5·(4,-4) + (1,1)
            y = m.step(x, states);
            assertArrayEquals(new float[] {3, 0}, y[0]);            // 2·(0.5 + 1)
            // one stream alone, from the same state, gives the same as inside the batch
            float[][][] alone = {{states[2][0].clone()}};
            float[][] ya = m.step(new float[][] {{1, 1}}, alone);
            float[][] yb = m.step(x, states);
            assertArrayEquals(ya[0], yb[2]);
        }
    }

    @Test
    void unpairedStateIsNamed() throws Exception {
        ModelException e = assertThrows(ModelException.class,
                () -> RecurrentActionModel.open(ModelBundle.load(model("state_out_9")), ExecutionProvider.CPU, 1));
        assertTrue(e.getMessage().contains("no state output 'state_out_9'"), e.getMessage());
    }
}
