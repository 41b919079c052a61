package io.vigil.models.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A detector-shaped ONNX graph whose outputs are fixed tensors whatever the image, for testing a decoder (a plugin's
 * included) end to end through ONNX Runtime and the detector: input {@code images} [N, 3, H, W]; each output
 * {@code name} [N, ...] = its constant + mean(image) · 0, so the batch axis follows the input (opset 13).
 */
public final class ConstantGraph {
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, long[]> dims = new LinkedHashMap<>();

    /** @param shape without the batch axis; values row-major */
    public ConstantGraph output(String name, float[] value, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != value.length) throw new IllegalArgumentException(name + ": " + value.length + " values for a shape of " + n);
        values.put(name, value);
        dims.put(name, shape);
        return this;
    }

    public byte[] toModel(int inputWidth, int inputHeight) {
        OnnxGraph g = new OnnxGraph("constant-outputs");
        g.input("images", OnnxGraph.FLOAT, "N", 3, inputHeight, inputWidth);
        g.node("ReduceMean", List.of("images"), List.of("mean"), OnnxGraph.Attr.ints("axes", 1, 2, 3), OnnxGraph.Attr.i("keepdims", 1));
        g.initializer("zero", new float[] {0f}, 1);
        g.node("Mul", List.of("mean", "zero"), List.of("nothing")); // [N, 1, 1, 1] of zeros: carries the batch axis
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            String name = e.getKey();
            long[] shape = dims.get(name);
            long[] full = new long[shape.length + 1];
            full[0] = 1;
            System.arraycopy(shape, 0, full, 1, shape.length);
            long[] batchOnly = new long[shape.length + 1];
            batchOnly[0] = -1;
            for (int i = 1; i < batchOnly.length; i++) batchOnly[i] = 1;
            g.initializer(name + "_value", e.getValue(), full);
            g.initializer(name + "_shape", batchOnly, batchOnly.length);
            g.node("Reshape", List.of("nothing", name + "_shape"), List.of(name + "_zero"));
            g.node("Add", List.of(name + "_zero", name + "_value"), List.of(name));
            List<Object> d = new ArrayList<>();
            d.add("N");
            for (long x : shape) d.add(x);
            g.output(name, OnnxGraph.FLOAT, d.toArray());
        }
        return g.toModel(13);
    }
}
