package io.vigil.models.export;

import io.vigil.models.onnx.OnnxGraph;
import io.vigil.models.onnx.OnnxGraph.Attr;
import io.vigil.spatiotemporal.io.Tensor;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports one recurrent step of a Mamba block as an ONNX graph (standard ops, opset 17), so the SSM can run
 * where ONNX Runtime runs (CUDA included) with the caller owning the state:
 *
 * <pre>
 * inputs   x [B, d_model]   conv_state_in_0 [B, E, K]   ssm_state_in_0 [B, E, N]
 * outputs  y [B, d_model]   conv_state_out_0 [B, E, K]  ssm_state_out_0 [B, E, N]
 * </pre>
 *
 * The graph is the block's step exactly as {@link io.vigil.spatiotemporal.ssm.MambaBlock} computes it: in_proj,
 * conv window shift + depthwise taps, SiLU, x_proj split (dt, B, C), dt_proj + bias, softplus (x above 20 taken
 * as is), exp(Δ·A), h = exp(ΔA)·h + Δ·B·u, y = C·h + D·u, SiLU(z) gate, out_proj.
 */
public final class SsmStepExport {
    public static final int OPSET = 17;

    private SsmStepExport() {}

    public static byte[] stepGraph(MambaWeights w) {
        int d = w.dModel, e = w.dInner, n = w.dState, k = w.dConv;
        OnnxGraph g = new OnnxGraph("mamba-step");
        g.input("x", OnnxGraph.FLOAT, "B", d);
        g.input("conv_state_in_0", OnnxGraph.FLOAT, "B", e, k);
        g.input("ssm_state_in_0", OnnxGraph.FLOAT, "B", e, n);
        appendStep(g, w, "", "x", "y", "conv_state_in_0", "conv_state_out_0", "ssm_state_in_0", "ssm_state_out_0");
        g.output("y", OnnxGraph.FLOAT, "B", d);
        g.output("conv_state_out_0", OnnxGraph.FLOAT, "B", e, k);
        g.output("ssm_state_out_0", OnnxGraph.FLOAT, "B", e, n);
        return g.toModel(OPSET);
    }

    /**
     * Adds one recurrent step of a Mamba block to {@code g}: {@code y} from {@code x} [B, d_model] and the block's conv
     * and SSM states (in and out [B, E, K] and [B, E, N]). Every initializer and intermediate is named with
     * prefix {@code p}, so several blocks share a graph.
     */
    public static void appendStep(OnnxGraph g, MambaWeights w, String p, String x, String y, String convIn, String convOut,
                                  String ssmIn, String ssmOut) {
        Map<String, Tensor> t = new HashMap<>();
        for (Tensor tt : w.toTensors("")) t.put(tt.name(), tt);
        int d = w.dModel, e = w.dInner, n = w.dState, k = w.dConv, r = w.dtRank;
        // weights, transposed for MatMul(row vector, W^T)
        g.initializer(p + "in_proj_t", transpose(t.get("in_proj.weight").floats(), 2 * e, d), d, 2L * e);
        g.initializer(p + "conv_w", t.get("conv1d.weight").floats(), 1, e, k);
        g.initializer(p + "conv_b", t.get("conv1d.bias").floats(), e);
        g.initializer(p + "x_proj_t", transpose(t.get("x_proj.weight").floats(), r + 2 * n, e), e, r + 2L * n);
        g.initializer(p + "dt_proj_t", transpose(t.get("dt_proj.weight").floats(), e, r), r, e);
        g.initializer(p + "dt_bias", t.get("dt_proj.bias").floats(), e);
        float[] aLog = t.get("A_log").floats();
        float[] a = new float[aLog.length];
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(aLog[i]);
        g.initializer(p + "A", a, 1, e, n);
        g.initializer(p + "D", t.get("D").floats(), e);
        g.initializer(p + "out_proj_t", transpose(t.get("out_proj.weight").floats(), d, e), e, d);
        g.initializer(p + "split_xz", new long[] {e, e}, 2);
        g.initializer(p + "split_p", new long[] {r, n, n}, 3);
        g.initializer(p + "conv_keep_start", new long[] {1}, 1);
        g.initializer(p + "conv_keep_end", new long[] {k}, 1);
        g.initializer(p + "axis2", new long[] {2}, 1);
        g.initializer(p + "axis1", new long[] {1}, 1);
        g.initializer(p + "twenty", new float[] {20f}, 1);
        g.initializer(p + "one", new float[] {1f}, 1);

        g.node("MatMul", List.of(x, p + "in_proj_t"), List.of(p + "xz"));
        g.node("Split", List.of(p + "xz", p + "split_xz"), List.of(p + "xs", p + "z"), Attr.i("axis", 1));
        // conv window: drop the oldest input, append this one
        g.node("Slice", List.of(convIn, p + "conv_keep_start", p + "conv_keep_end", p + "axis2"), List.of(p + "conv_kept"));
        g.node("Unsqueeze", List.of(p + "xs", p + "axis2"), List.of(p + "xs_col"));
        g.node("Concat", List.of(p + "conv_kept", p + "xs_col"), List.of(convOut), Attr.i("axis", 2));
        g.node("Mul", List.of(convOut, p + "conv_w"), List.of(p + "conv_taps"));
        g.node("ReduceSum", List.of(p + "conv_taps", p + "axis2"), List.of(p + "conv_sum"), Attr.i("keepdims", 0));
        g.node("Add", List.of(p + "conv_sum", p + "conv_b"), List.of(p + "xc"));
        g.node("Sigmoid", List.of(p + "xc"), List.of(p + "xc_sig"));
        g.node("Mul", List.of(p + "xc", p + "xc_sig"), List.of(p + "u"));
        g.node("MatMul", List.of(p + "u", p + "x_proj_t"), List.of(p + "p"));
        g.node("Split", List.of(p + "p", p + "split_p"), List.of(p + "dt_low", p + "Bm", p + "Cm"), Attr.i("axis", 1));
        g.node("MatMul", List.of(p + "dt_low", p + "dt_proj_t"), List.of(p + "delta_raw"));
        g.node("Add", List.of(p + "delta_raw", p + "dt_bias"), List.of(p + "delta_b"));
        // softplus with the reference's cut-off: x above 20 is taken as is
        g.node("Exp", List.of(p + "delta_b"), List.of(p + "delta_exp"));
        g.node("Add", List.of(p + "delta_exp", p + "one"), List.of(p + "delta_exp1"));
        g.node("Log", List.of(p + "delta_exp1"), List.of(p + "delta_sp"));
        g.node("Greater", List.of(p + "delta_b", p + "twenty"), List.of(p + "delta_big"));
        g.node("Where", List.of(p + "delta_big", p + "delta_b", p + "delta_sp"), List.of(p + "dt"));
        g.node("Unsqueeze", List.of(p + "dt", p + "axis2"), List.of(p + "dt_col"));
        g.node("Mul", List.of(p + "dt_col", p + "A"), List.of(p + "dA_arg"));
        g.node("Exp", List.of(p + "dA_arg"), List.of(p + "dA"));
        g.node("Mul", List.of(p + "dt", p + "u"), List.of(p + "dtu"));
        g.node("Unsqueeze", List.of(p + "dtu", p + "axis2"), List.of(p + "dtu_col"));
        g.node("Unsqueeze", List.of(p + "Bm", p + "axis1"), List.of(p + "B_row"));
        g.node("Mul", List.of(p + "dtu_col", p + "B_row"), List.of(p + "dBu"));
        g.node("Mul", List.of(p + "dA", ssmIn), List.of(p + "h_decayed"));
        g.node("Add", List.of(p + "h_decayed", p + "dBu"), List.of(ssmOut));
        g.node("Unsqueeze", List.of(p + "Cm", p + "axis1"), List.of(p + "C_row"));
        g.node("Mul", List.of(ssmOut, p + "C_row"), List.of(p + "Ch"));
        g.node("ReduceSum", List.of(p + "Ch", p + "axis2"), List.of(p + "y_ssm"), Attr.i("keepdims", 0));
        g.node("Mul", List.of(p + "u", p + "D"), List.of(p + "Du"));
        g.node("Add", List.of(p + "y_ssm", p + "Du"), List.of(p + "y_skip"));
        g.node("Sigmoid", List.of(p + "z"), List.of(p + "z_sig"));
        g.node("Mul", List.of(p + "z", p + "z_sig"), List.of(p + "z_silu"));
        g.node("Mul", List.of(p + "y_skip", p + "z_silu"), List.of(p + "gated"));
        g.node("MatMul", List.of(p + "gated", p + "out_proj_t"), List.of(y));
    }

    /**
     * Writes {@code mamba_step.onnx} and a {@code model.yaml} describing it (kind: sequence, the recurrent contract)
     * into {@code dir}.
     */
    public static Path write(MambaWeights w, String name, Path dir) {
        try {
            Files.createDirectories(dir);
            Path onnx = dir.resolve("mamba_step.onnx");
            Files.write(onnx, stepGraph(w));
            Files.writeString(dir.resolve("model.yaml"), String.join("\n",
                    "# One recurrent step of a Mamba block, exported by Vigil (SsmStepExport). Outputs features, not labels.",
                    "name: " + name,
                    "kind: sequence",
                    "file: mamba_step.onnx",
                    "action:",
                    "  contract: recurrent",
                    "  input: x",
                    "  output: y",
                    "  states: {conv_state_in_0: conv_state_out_0, ssm_state_in_0: ssm_state_out_0}",
                    ""));
            return onnx;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the SSM export to " + dir, ex);
        }
    }

    static float[] transpose(float[] m, int rows, int cols) {
        float[] out = new float[m.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
        return out;
    }
}
