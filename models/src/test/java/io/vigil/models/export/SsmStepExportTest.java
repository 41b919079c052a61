package io.vigil.models.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.models.TestData;
import io.vigil.models.action.RecurrentActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.ssm.MambaBlock;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported step graph, run by ONNX Runtime, equals the golden reference and the Java kernel. */
class SsmStepExportTest {
    @TempDir
    Path tmp;

    private static SafeTensors golden() {
        return SafeTensors.read(TestData.shared().resolve("golden").resolve("block.safetensors"));
    }

    private static void close(String what, float[] expected, int off, float[] actual) {
        for (int i = 0; i < actual.length; i++) {
            double e = expected[off + i];
            if (!(Math.abs(actual[i] - e) <= 1e-4 + 1e-4 * Math.abs(e))) fail(what + "[" + i + "]: expected " + e + " got " + actual[i]);
        }
    }

    @Test
    void goldenBlockStepsBatched() {
        SafeTensors st = golden();
        MambaWeights w = MambaWeights.from(st, "");
        SsmStepExport.write(w, "golden-block", tmp);
        try (RecurrentActionModel m = RecurrentActionModel.open(ModelBundle.load(tmp), ExecutionProvider.CPU, 1)) {
            float[] x = st.get("x").floats();
            int batch = st.get("x").dim(0), len = st.get("x").dim(1), dm = st.get("x").dim(2);
            int steps = st.get("step_y").dim(0);
            int ek = w.dInner * w.dConv, en = w.dInner * w.dState;
            float[][][] states = new float[batch][][];
            for (int b = 0; b < batch; b++) states[b] = m.newState();
            for (int t = 0; t < steps; t++) {
                float[][] in = new float[batch][dm];
                for (int b = 0; b < batch; b++) System.arraycopy(x, (b * len + t) * dm, in[b], 0, dm);
                float[][] y = m.step(in, states);
                for (int b = 0; b < batch; b++) {
                    close("step_y t=" + t + " b=" + b, st.get("step_y").floats(), (t * batch + b) * dm, y[b]);
                    close("step_conv_state t=" + t + " b=" + b, st.get("step_conv_state").floats(), (t * batch + b) * ek, states[b][0]);
                    close("step_ssm_state t=" + t + " b=" + b, st.get("step_ssm_state").floats(), (t * batch + b) * en, states[b][1]);
                }
            }
        }
    }

    @Test
    void fiftyStreamedStepsMatchTheJavaKernelAtBatch1And8() {
        MambaWeights w = MambaWeights.from(golden(), "");
        SsmStepExport.write(w, "golden-block", tmp);
        for (int streams : new int[] {1, 8}) {
            Random r = new Random(streams);
            MambaBlock[] javaBlocks = new MambaBlock[streams];
            MambaState[] javaStates = new MambaState[streams];
            try (RecurrentActionModel m = RecurrentActionModel.open(ModelBundle.load(tmp), ExecutionProvider.CPU, 1)) {
                assertEquals(java.util.List.of("conv_state_in_0", "ssm_state_in_0"), m.stateNames());
                float[][][] states = new float[streams][][];
                for (int s = 0; s < streams; s++) {
                    states[s] = m.newState();
                    javaBlocks[s] = new MambaBlock(w, SelectiveScanKernels.create());
                    javaStates[s] = javaBlocks[s].newState();
                }
                float[] yj = new float[w.dModel];
                for (int t = 0; t < 50; t++) {
                    float[][] in = new float[streams][w.dModel];
                    for (float[] row : in) for (int i = 0; i < row.length; i++) row[i] = (float) (2 * r.nextGaussian());
                    float[][] y = m.step(in, states);
                    for (int s = 0; s < streams; s++) {
                        javaBlocks[s].step(in[s], javaStates[s], yj);
                        close("streams=" + streams + " t=" + t + " s=" + s + " y", yj, 0, y[s]);
                        close("streams=" + streams + " t=" + t + " s=" + s + " conv", javaStates[s].conv, 0, states[s][0]);
                        close("streams=" + streams + " t=" + t + " s=" + s + " ssm", javaStates[s].ssm, 0, states[s][1]);
                    }
                }
            }
        }
    }
}
