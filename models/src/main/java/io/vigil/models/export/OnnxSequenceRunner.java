package io.vigil.models.export;

import io.vigil.models.action.RecurrentActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.SequenceRunner;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.ssm.MambaState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a spatiotemporal model's Mamba blocks through ONNX Runtime: each (layer, direction) block is exported as its
 * recurrent step graph ({@link SsmStepExport}); a sequence is fed token by token with the streams stacked along the
 * batch axis, their conv and SSM states gathered into one batch and scattered back after every step (written
 * straight into each stream's {@link MambaState}). With the CUDA provider this is how the SSM runs on a GPU.
 */
public final class OnnxSequenceRunner implements SequenceRunner, AutoCloseable {
    private final RecurrentActionModel[][] steps; // [layers][directions]
    private final Path dir;

    public OnnxSequenceRunner(SpatiotemporalModel model, ExecutionProvider provider, int threads) {
        try {
            dir = Files.createTempDirectory("vigil-ssm-onnx");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the exported step graphs", e);
        }
        int layers = model.config().layers();
        int dirs = model.plan().directions().size();
        steps = new RecurrentActionModel[layers][dirs];
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                Path out = dir.resolve("layer" + l + "-dir" + d);
                SsmStepExport.write(model.blockWeights(l, d), "ssm-step-l" + l + "-d" + d, out);
                steps[l][d] = RecurrentActionModel.open(ModelBundle.load(out), provider, threads);
            }
        }
    }

    @Override
    public void forward(int layer, int direction, float[][] seqs, int len, MambaState[] states, float[][] outs) {
        RecurrentActionModel m = steps[layer][direction];
        int n = seqs.length;
        int dm = seqs[0].length / len;
        float[][] x = new float[n][dm];
        float[][][] st = new float[n][][];
        for (int b = 0; b < n; b++) st[b] = new float[][] {states[b].conv, states[b].ssm};
        for (int t = 0; t < len; t++) {
            for (int b = 0; b < n; b++) System.arraycopy(seqs[b], t * dm, x[b], 0, dm);
            float[][] y = m.step(x, st);
            for (int b = 0; b < n; b++) System.arraycopy(y[b], 0, outs[b], t * dm, dm);
        }
    }

    @Override
    public void close() {
        for (RecurrentActionModel[] row : steps) for (RecurrentActionModel m : row) if (m != null) m.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
