package io.vigil.models.export;

import io.vigil.models.onnx.OnnxGraph;
import io.vigil.models.onnx.OnnxGraph.Attr;
import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming trajectory classifier ({@code io.vigil.spatiotemporal.model.TrajectoryModel}) as one ONNX step
 * graph under the recurrent contract: input {@code x} [B, 2] (a point's displacement / frame size), outputs
 * {@code scores} [B, classes] (softmax) and each layer's conv and SSM state, which the caller keeps per track.
 */
public final class TrajectoryExport {
    private TrajectoryExport() {}

    public static byte[] graph(SafeTensors st) {
        Map<String, String> meta = st.metadata();
        int layers = Integer.parseInt(meta.get("layers"));
        int d = Integer.parseInt(meta.get("d_model"));
        int classes = Integer.parseInt(meta.get("classes"));
        float scale = Float.parseFloat(meta.get("input_scale"));
        OnnxGraph g = new OnnxGraph("vigil-trajectory-step");
        g.input("x", OnnxGraph.FLOAT, "B", 2);
        g.initializer("input_scale", new float[] {scale}, 1);
        g.initializer("embed_t", SsmStepExport.transpose(st.get("embed.weight").floats(), d, 2), 2, d);
        g.initializer("embed_b", st.get("embed.bias").floats(), d);
        g.initializer("eps", new float[] {1e-5f}, 1);
        g.node("Mul", List.of("x", "input_scale"), List.of("x_scaled"));
        g.node("MatMul", List.of("x_scaled", "embed_t"), List.of("h0_raw"));
        g.node("Add", List.of("h0_raw", "embed_b"), List.of("h0"));
        List<String[]> states = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            MambaWeights w = MambaWeights.from(st, "layers." + l + ".mixer.");
            String p = "l" + l + "_";
            g.input("conv_state_in_" + l, OnnxGraph.FLOAT, "B", w.dInner, w.dConv);
            g.input("ssm_state_in_" + l, OnnxGraph.FLOAT, "B", w.dInner, w.dState);
            g.initializer(p + "norm_w", st.get("layers." + l + ".norm.weight").floats(), d);
            rmsNorm(g, p, "h" + l, p + "norm_w", p + "normed");
            SsmStepExport.appendStep(g, w, p, p + "normed", p + "y", "conv_state_in_" + l, "conv_state_out_" + l,
                    "ssm_state_in_" + l, "ssm_state_out_" + l);
            g.node("Add", List.of("h" + l, p + "y"), List.of("h" + (l + 1)));
            states.add(new String[] {"conv_state_in_" + l, "conv_state_out_" + l, Integer.toString(w.dInner), Integer.toString(w.dConv)});
            states.add(new String[] {"ssm_state_in_" + l, "ssm_state_out_" + l, Integer.toString(w.dInner), Integer.toString(w.dState)});
        }
        g.initializer("norm_f_w", st.get("norm_f.weight").floats(), d);
        rmsNorm(g, "f_", "h" + layers, "norm_f_w", "final");
        g.initializer("head_t", SsmStepExport.transpose(st.get("head.weight").floats(), classes, d), d, classes);
        g.initializer("head_b", st.get("head.bias").floats(), classes);
        g.node("MatMul", List.of("final", "head_t"), List.of("logits_raw"));
        g.node("Add", List.of("logits_raw", "head_b"), List.of("logits"));
        g.node("Softmax", List.of("logits"), List.of("scores"), Attr.i("axis", 1));
        g.output("scores", OnnxGraph.FLOAT, "B", classes);
        for (String[] s : states) g.output(s[1], OnnxGraph.FLOAT, "B", Long.parseLong(s[2]), Long.parseLong(s[3]));
        return g.toModel(SsmStepExport.OPSET);
    }

    /** out = x / sqrt(mean(x²) + eps) ⊙ w over the last axis. */
    private static void rmsNorm(OnnxGraph g, String p, String x, String w, String out) {
        g.node("Mul", List.of(x, x), List.of(p + "sq"));
        g.node("ReduceMean", List.of(p + "sq"), List.of(p + "ms"), Attr.ints("axes", 1), Attr.i("keepdims", 1));
        g.node("Add", List.of(p + "ms", "eps"), List.of(p + "ms_eps"));
        g.node("Sqrt", List.of(p + "ms_eps"), List.of(p + "rms"));
        g.node("Div", List.of(x, p + "rms"), List.of(p + "xhat"));
        g.node("Mul", List.of(p + "xhat", w), List.of(out));
    }

    /** Writes trajectory_step.onnx, labels.txt and a model.yaml (kind: action, the recurrent contract) into {@code dir}. */
    public static Path write(Path safetensors, String name, Path dir) {
        SafeTensors st = SafeTensors.read(safetensors);
        try {
            Files.createDirectories(dir);
            Path onnx = dir.resolve("trajectory_step.onnx");
            Files.write(onnx, graph(st));
            Files.writeString(dir.resolve("labels.txt"), st.metadata().get("labels") + "\n");
            int layers = Integer.parseInt(st.metadata().get("layers"));
            Map<String, String> pairs = new LinkedHashMap<>();
            for (int l = 0; l < layers; l++) {
                pairs.put("conv_state_in_" + l, "conv_state_out_" + l);
                pairs.put("ssm_state_in_" + l, "ssm_state_out_" + l);
            }
            StringBuilder sp = new StringBuilder();
            pairs.forEach((k, v) -> sp.append(sp.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
            Files.writeString(dir.resolve("model.yaml"), String.join("\n",
                    "# " + name + " as one ONNX step per track point (TrajectoryExport), from " + safetensors.getFileName() + ".",
                    "# Input: the point's displacement since the previous one, x / frame width, y / frame height (y down).",
                    "name: " + name + "-onnx",
                    "kind: action",
                    "file: trajectory_step.onnx",
                    "action:",
                    "  contract: recurrent",
                    "  input: x",
                    "  output: scores",
                    "  states: {" + sp + "}",
                    "labels: labels.txt",
                    ""));
            return onnx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trajectory export to " + dir, e);
        }
    }
}
