package io.vigil.spatiotemporal.model;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.ssm.MambaBlock;
import io.vigil.spatiotemporal.ssm.MambaState;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import io.vigil.spatiotemporal.ssm.SelectiveScanKernels;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The selective-scan motion predictor, float32, one {@link #step} per frame of a track: O(1) work and a fixed state
 * (each layer's conv window and SSM state) however long the track runs.
 *
 * <pre>
 * u      = s ⊙ (Δcx / W, Δcy / H, ln(w / w_prev), ln(h / h_prev))      0 on the track's first box
 * x      = embed.weight · u + embed.bias
 * x     += Mamba_l(RMSNorm(x) ⊙ layers.l.norm.weight)
 * y      = head.weight · (RMSNorm(x) ⊙ norm_f.weight) + head.bias       [5][2]: the centre's move 1..5 frames ahead / (W, H), times r
 * </pre>
 *
 * Trained by {@code io.vigil.lab.train.MotionTrainer} ({@code vigil train motion}); the file's metadata
 * holds the shape, the input scales s and the target scale r. Not thread-safe (it owns workspaces): one instance per
 * thread, states per track.
 */
public final class MotionModel {
    public static final int INPUTS = 4;
    public static final int HORIZON = 5;

    private final int dModel;
    private final float[] inputScale; // [4]
    private final float targetScale;
    private final float[] embedW;     // [d_model][4]
    private final float[] embedB;     // [d_model]
    private final float[][] norms;    // [layers][d_model]
    private final MambaBlock[] blocks;
    private final float[] normF;      // [d_model]
    private final float[] headW;      // [10][d_model]
    private final float[] headB;      // [10]
    private final float[] u = new float[INPUTS];
    private final float[] x, xn, y;   // [d_model] each

    private MotionModel(SafeTensors st, String kernel) {
        Map<String, String> meta = st.metadata();
        if (!"motion".equals(meta.get("kind"))) throw new SafeTensorsException("motion model: metadata kind is " + meta.get("kind") + ", not motion");
        try {
            dModel = Integer.parseInt(meta.get("d_model"));
            int layers = Integer.parseInt(meta.get("layers"));
            String[] s = meta.get("input_scale").replace("[", "").replace("]", "").split(",");
            if (s.length != INPUTS) throw new SafeTensorsException("motion model: input_scale has " + s.length + " values, not " + INPUTS);
            inputScale = new float[INPUTS];
            for (int i = 0; i < INPUTS; i++) inputScale[i] = Float.parseFloat(s[i].trim());
            targetScale = Float.parseFloat(meta.get("target_scale"));
            embedW = TrajectoryModel.tensor(st, "embed.weight", dModel, INPUTS);
            embedB = TrajectoryModel.tensor(st, "embed.bias", dModel);
            norms = new float[layers][];
            blocks = new MambaBlock[layers];
            for (int l = 0; l < layers; l++) {
                norms[l] = TrajectoryModel.tensor(st, "layers." + l + ".norm.weight", dModel);
                blocks[l] = new MambaBlock(MambaWeights.from(st, "layers." + l + ".mixer."),
                        kernel == null ? SelectiveScanKernels.create() : SelectiveScanKernels.create(kernel));
            }
        } catch (NullPointerException | NumberFormatException e) {
            throw new SafeTensorsException("motion model: metadata d_model, layers, input_scale and target_scale are needed: " + e.getMessage());
        }
        normF = TrajectoryModel.tensor(st, "norm_f.weight", dModel);
        headW = TrajectoryModel.tensor(st, "head.weight", 2 * HORIZON, dModel);
        headB = TrajectoryModel.tensor(st, "head.bias", 2 * HORIZON);
        x = new float[dModel];
        xn = new float[dModel];
        y = new float[dModel];
    }

    /** @param kernel scalar, vector, or null for the default */
    public static MotionModel load(Path file, String kernel) {
        return new MotionModel(SafeTensors.read(file), kernel);
    }

    public StreamState newState() {
        List<MambaState> s = new ArrayList<>();
        for (MambaBlock b : blocks) s.add(b.newState());
        return new StreamState(s);
    }

    /**
     * One new box of a track.
     *
     * @param prev   the track's box on the previous frame (x1, y1, x2, y2 pixels), null on its first
     * @param box    its box now
     * @param state  the track's state: read, then advanced past this box
     * @param ahead  [5][2], written: the centre's move in pixels 1..5 frames from now
     */
    public void step(float[] prev, float[] box, int width, int height, StreamState state, float[] ahead) {
        if (prev == null) {
            java.util.Arrays.fill(u, 0);
        } else {
            u[0] = ((box[0] + box[2]) - (prev[0] + prev[2])) / 2f / width * inputScale[0];
            u[1] = ((box[1] + box[3]) - (prev[1] + prev[3])) / 2f / height * inputScale[1];
            u[2] = (float) (Math.log((double) Math.max(1e-3f, box[2] - box[0]) / Math.max(1e-3f, prev[2] - prev[0])) * inputScale[2]);
            u[3] = (float) (Math.log((double) Math.max(1e-3f, box[3] - box[1]) / Math.max(1e-3f, prev[3] - prev[1])) * inputScale[3]);
        }
        for (int i = 0; i < dModel; i++) {
            float s = embedB[i];
            for (int j = 0; j < INPUTS; j++) s += embedW[i * INPUTS + j] * u[j];
            x[i] = s;
        }
        for (int l = 0; l < blocks.length; l++) {
            TrajectoryModel.rmsNorm(x, norms[l], xn, dModel);
            blocks[l].step(xn, state.layer(l), y);
            for (int i = 0; i < dModel; i++) x[i] += y[i];
        }
        TrajectoryModel.rmsNorm(x, normF, xn, dModel);
        for (int c = 0; c < 2 * HORIZON; c++) {
            float s = headB[c];
            for (int i = 0; i < dModel; i++) s += headW[c * dModel + i] * xn[i];
            ahead[c] = s / targetScale * (c % 2 == 0 ? width : height);
        }
        state.advance();
    }
}
