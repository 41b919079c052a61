package io.vigil.models.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tiny detector graphs whose outputs are known exactly: output[n] = C + mean(image n) · M, built from
 * images [N, 3, 64, 64] with ReduceMean, Reshape, Mul and Add (opset 13). With M = 0 the output is exactly C
 * whatever the picture; with M != 0 each image of a batch gives its own output.
 */
public final class FixtureModels {
    private FixtureModels() {}

    /**
     * Writes {@code model.onnx}, {@code model.yaml} and {@code labels.txt} into {@code dir}.
     *
     * @param outDims output shape without the batch axis
     * @param yamlDecoder the decoder block of model.yaml, indented by two spaces
     */
    public static Path write(Path dir, String family, float[] c, float[] m, long[] outDims, String yamlDecoder, List<String> labels) {
        long[] full = new long[outDims.length + 1];
        full[0] = 1;
        System.arraycopy(outDims, 0, full, 1, outDims.length);
        long[] reshape = new long[outDims.length + 1];
        reshape[0] = -1;
        for (int i = 1; i < reshape.length; i++) reshape[i] = 1;
        OnnxGraph g = new OnnxGraph(family + "-fixture");
        g.input("images", OnnxGraph.FLOAT, "N", 3, 64, 64);
        g.initializer("M", m, full);
        g.initializer("C", c, full);
        g.initializer("shape", reshape, reshape.length);
        g.node("ReduceMean", List.of("images"), List.of("mean"), OnnxGraph.Attr.ints("axes", 1, 2, 3), OnnxGraph.Attr.i("keepdims", 1));
        g.node("Reshape", List.of("mean", "shape"), List.of("mean_r"));
        g.node("Mul", List.of("mean_r", "M"), List.of("scaled"));
        g.node("Add", List.of("scaled", "C"), List.of("output"));
        Object[] dims = new Object[outDims.length + 1];
        dims[0] = "N";
        for (int i = 0; i < outDims.length; i++) dims[i + 1] = outDims[i];
        g.output("output", OnnxGraph.FLOAT, dims);
        try {
            Files.createDirectories(dir);
            g.write(dir.resolve("model.onnx"), 13);
            Files.writeString(dir.resolve("labels.txt"), String.join("\n", labels) + "\n");
            Files.writeString(dir.resolve("model.yaml"), String.join("\n",
                    "name: " + family + "-fixture",
                    "kind: detector",
                    "file: model.onnx",
                    "input: {name: images, width: 64, height: 64, channels: BGR, resize: stretch, scale: 1.0}",
                    "decoder:",
                    yamlDecoder,
                    "labels: labels.txt",
                    "scoreThreshold: 0.3",
                    "nmsIou: 0.45",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
