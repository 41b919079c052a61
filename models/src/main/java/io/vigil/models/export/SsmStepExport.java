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
        Map<String, Tensor> t = new HashMap<>();
        for (Tensor x : w.toTensors("")) t.put(x.name(), x);
        int d = w.dModel, e = w.dInner, n = w.dState, k = w.dConv, r = w.dtRank;
        OnnxGraph g = new OnnxGraph("mamba-step");
        g.input("x", OnnxGraph.FLOAT, "B", d);
        g.input("conv_state_in_0", OnnxGraph.FLOAT, "B", e, k);
        g.input("ssm_state_in_0", OnnxGraph.FLOAT, "B", e, n);
        // weights, transposed for MatMul(row vector, W^T)
        g.initializer("in_proj_t", transpose(t.get("in_proj.weight").floats(), 2 * e, d), d, 2L * e);
        g.initializer("conv_w", t.get("conv1d.weight").floats(), 1, e, k);
        g.initializer("conv_b", t.get("conv1d.bias").floats(), e);
        g.initializer("x_proj_t", transpose(t.get("x_proj.weight").floats(), r + 2 * n, e), e, r + 2L * n);
        g.initializer("dt_proj_t", transpose(t.get("dt_proj.weight").floats(), e, r), r, e);
        g.initializer("dt_bias", t.get("dt_proj.bias").floats(), e);
        float[] aLog = t.get("A_log").floats();
        float[] a = new float[aLog.length];
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(aLog[i]);
        g.initializer("A", a, 1, e, n);
        g.initializer("D", t.get("D").floats(), e);
        g.initializer("out_proj_t", transpose(t.get("out_proj.weight").floats(), d, e), e, d);
        g.initializer("split_xz", new long[] {e, e}, 2);
        g.initializer("split_p", new long[] {r, n, n}, 3);
        g.initializer("conv_keep_start", new long[] {1}, 1);
        g.initializer("conv_keep_end", new long[] {k}, 1);
        g.initializer("axis2", new long[] {2}, 1);
        g.initializer("axis1", new long[] {1}, 1);
        g.initializer("twenty", new float[] {20f}, 1);
        g.initializer("one", new float[] {1f}, 1);

        g.node("MatMul", List.of("x", "in_proj_t"), List.of("xz"));
        g.node("Split", List.of("xz", "split_xz"), List.of("xs", "z"), Attr.i("axis", 1));
        // conv window: drop the oldest input, append this one
        g.node("Slice", List.of("conv_state_in_0", "conv_keep_start", "conv_keep_end", "axis2"), List.of("conv_kept"));
        g.node("Unsqueeze", List.of("xs", "axis2"), List.of("xs_col"));
        g.node("Concat", List.of("conv_kept", "xs_col"), List.of("conv_state_out_0"), Attr.i("axis", 2));
        g.node("Mul", List.of("conv_state_out_0", "conv_w"), List.of("conv_taps"));
        g.node("ReduceSum", List.of("conv_taps", "axis2"), List.of("conv_sum"), Attr.i("keepdims", 0));
        g.node("Add", List.of("conv_sum", "conv_b"), List.of("xc"));
        g.node("Sigmoid", List.of("xc"), List.of("xc_sig"));
        g.node("Mul", List.of("xc", "xc_sig"), List.of("u"));
        g.node("MatMul", List.of("u", "x_proj_t"), List.of("p"));
        g.node("Split", List.of("p", "split_p"), List.of("dt_low", "Bm", "Cm"), Attr.i("axis", 1));
        g.node("MatMul", List.of("dt_low", "dt_proj_t"), List.of("delta_raw"));
        g.node("Add", List.of("delta_raw", "dt_bias"), List.of("delta_b"));
        // softplus with the reference's cut-off: x above 20 is taken as is
        g.node("Exp", List.of("delta_b"), List.of("delta_exp"));
        g.node("Add", List.of("delta_exp", "one"), List.of("delta_exp1"));
        g.node("Log", List.of("delta_exp1"), List.of("delta_sp"));
        g.node("Greater", List.of("delta_b", "twenty"), List.of("delta_big"));
        g.node("Where", List.of("delta_big", "delta_b", "delta_sp"), List.of("dt"));
        g.node("Unsqueeze", List.of("dt", "axis2"), List.of("dt_col"));
        g.node("Mul", List.of("dt_col", "A"), List.of("dA_arg"));
        g.node("Exp", List.of("dA_arg"), List.of("dA"));
        g.node("Mul", List.of("dt", "u"), List.of("dtu"));
        g.node("Unsqueeze", List.of("dtu", "axis2"), List.of("dtu_col"));
        g.node("Unsqueeze", List.of("Bm", "axis1"), List.of("B_row"));
        g.node("Mul", List.of("dtu_col", "B_row"), List.of("dBu"));
        g.node("Mul", List.of("dA", "ssm_state_in_0"), List.of("h_decayed"));
        g.node("Add", List.of("h_decayed", "dBu"), List.of("ssm_state_out_0"));
        g.node("Unsqueeze", List.of("Cm", "axis1"), List.of("C_row"));
        g.node("Mul", List.of("ssm_state_out_0", "C_row"), List.of("Ch"));
        g.node("ReduceSum", List.of("Ch", "axis2"), List.of("y_ssm"), Attr.i("keepdims", 0));
        g.node("Mul", List.of("u", "D"), List.of("Du"));
        g.node("Add", List.of("y_ssm", "Du"), List.of("y_skip"));
        g.node("Sigmoid", List.of("z"), List.of("z_sig"));
        g.node("Mul", List.of("z", "z_sig"), List.of("z_silu"));
        g.node("Mul", List.of("y_skip", "z_silu"), List.of("gated"));
        g.node("MatMul", List.of("gated", "out_proj_t"), List.of("y"));
        g.output("y", OnnxGraph.FLOAT, "B", d);
        g.output("conv_state_out_0", OnnxGraph.FLOAT, "B", e, k);
        g.output("ssm_state_out_0", OnnxGraph.FLOAT, "B", e, n);
        return g.toModel(OPSET);
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

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] out = new float[m.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
        return out;
    }
}
