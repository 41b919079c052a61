package io.vigil.models.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The spatiotemporal model with its blocks in ONNX Runtime (streams batched) equals the Java kernel. */
class OnnxSequenceRunnerTest {
    @Test
    void onnxBackendMatchesJavaForStreamsBatched() {
        for (String path : new String[] {"spatiotemporal", "cross-scan"}) {
            SpatiotemporalConfig cfg = new SpatiotemporalConfig(3, 16, 16, 4, 16, 8, 4, 2, 2, path, 2, 2);
            SpatiotemporalModel model = SpatiotemporalModel.random(cfg, 9, null);
            int streams = 4;
            StreamState[] onnx = new StreamState[streams];
            StreamState[] java = new StreamState[streams];
            for (int b = 0; b < streams; b++) {
                onnx[b] = model.newState();
                java[b] = model.newState();
            }
            Random r = new Random(2);
            float[][] yo = new float[streams][16];
            float[][] yj = new float[streams][16];
            try (OnnxSequenceRunner runner = new OnnxSequenceRunner(model, ExecutionProvider.CPU, 1)) {
                for (int f = 0; f < 5; f++) {
                    float[][] frames = new float[streams][3 * 16 * 16];
                    for (float[] fr : frames) for (int i = 0; i < fr.length; i++) fr[i] = r.nextFloat();
                    model.stepBatch(frames, onnx, yo, runner);
                    model.stepBatch(frames, java, yj, model.javaRunner());
                    for (int b = 0; b < streams; b++) {
                        for (int j = 0; j < 16; j++) {
                            assertEquals(yj[b][j], yo[b][j], 1e-4 + 1e-4 * Math.abs(yj[b][j]), path + " frame " + f + " stream " + b + " [" + j + "]");
                        }
                        for (int l = 0; l < 2; l++) {
                            float[] a = java[b].layer(l).ssm, o = onnx[b].layer(l).ssm;
                            for (int i = 0; i < a.length; i++) assertEquals(a[i], o[i], 1e-4 + 1e-4 * Math.abs(a[i]), path + " ssm state");
                        }
                    }
                }
            }
        }
    }
}
