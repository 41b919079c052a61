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
import java.util.Arrays;
import java.util.Comparator;

/**
 * Runs a spatiotemporal model's Mamba blocks through ONNX Runtime: each (layer, direction) block is exported as its
 * recurrent step graph ({@link SsmStepExport}); a sequence is fed token by token with the streams stacked along the
 * batch axis, their conv and SSM states gathered into one batch and scattered back after every step (written
 * straight into each stream's {@link MambaState}). With the CUDA provider this is how the SSM runs on a GPU.
 */
public final class OnnxSequenceRunner implements SequenceRunner, AutoCloseable {
    private final RecurrentActionModel[][] steps; // [layers][directions]
    private final Path dir;
    private final int dModel;
    private float[][][] tokens = new float[0][][];        // [batch size][streams][d_model]
    private float[][][][] stateViews = new float[0][][][]; // [batch size][streams][conv, ssm]

    public OnnxSequenceRunner(SpatiotemporalModel model, ExecutionProvider provider, int threads) {
        try {
            dir = Files.createTempDirectory("vigil-ssm-onnx");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the exported step graphs", e);
        }
        dModel = model.config().dModel();
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
    public void forward(int layer, int direction, float[][] seqs, MambaState[] states, float[][] outs, int streams, int len) {
        RecurrentActionModel m = steps[layer][direction];
        float[][] x = tokens(streams);
        float[][][] st = stateViews(streams);
        for (int b = 0; b < streams; b++) {
            st[b][0] = states[b].conv;
            st[b][1] = states[b].ssm;
        }
        for (int t = 0; t < len; t++) {
            for (int b = 0; b < streams; b++) System.arraycopy(seqs[b], t * dModel, x[b], 0, dModel);
            float[][] y = m.step(x, st);
            for (int b = 0; b < streams; b++) System.arraycopy(y[b], 0, outs[b], t * dModel, dModel);
        }
    }

    /** [streams][d_model]: one token of each stream, made once per batch size. */
    private float[][] tokens(int streams) {
        if (tokens.length <= streams) tokens = Arrays.copyOf(tokens, streams + 1);
        if (tokens[streams] == null) tokens[streams] = new float[streams][dModel];
        return tokens[streams];
    }

    /** [streams][2]: views of each stream's conv and SSM state, made once per batch size. */
    private float[][][] stateViews(int streams) {
        if (stateViews.length <= streams) stateViews = Arrays.copyOf(stateViews, streams + 1);
        if (stateViews[streams] == null) stateViews[streams] = new float[streams][2][];
        return stateViews[streams];
    }

    @Override
    public void close() {
        for (RecurrentActionModel[] row : steps) for (RecurrentActionModel m : row) if (m != null) m.close();
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
