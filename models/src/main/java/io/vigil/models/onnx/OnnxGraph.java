package io.vigil.models.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes ONNX models (ModelProto) with standard ops, from the message and field numbers of the public ONNX
 * schema (onnx.proto). Used for the SSM step export and for test graphs whose outputs are known exactly.
 *
 * <pre>
 * OnnxGraph g = new OnnxGraph("demo");
 * g.input("x", OnnxGraph.FLOAT, "N", 4);
 * g.initializer("w", new float[] {...}, 4, 2);
 * g.node("MatMul", List.of("x", "w"), List.of("y"));
 * g.output("y", OnnxGraph.FLOAT, "N", 2);
 * byte[] model = g.toModel(17);
 * </pre>
 */
public final class OnnxGraph {
    /** TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    /** ONNX IR version 8: understood by every ONNX Runtime since 1.10. */
    public static final int IR_VERSION = 8;

    private final String name;
    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    private int nodeCount;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /** A node attribute. */
    public record Attr(String name, Protobuf value) {
        public static Attr i(String name, long v) {
            return new Attr(name, new Protobuf().string(1, name).varint(20, 2).varint(3, v));
        }

        public static Attr f(String name, float v) {
            return new Attr(name, new Protobuf().string(1, name).varint(20, 1).fixed32(2, v));
        }

        public static Attr ints(String name, long... v) {
            Protobuf p = new Protobuf().string(1, name).varint(20, 7);
            for (long x : v) p.varint(8, x);
            return new Attr(name, p);
        }

        public static Attr s(String name, String v) {
            return new Attr(name, new Protobuf().string(1, name).varint(20, 3).string(4, v));
        }
    }

    /**
     * @param dims each a Long/Integer (fixed size) or a String (a named dynamic dimension)
     */
    public OnnxGraph input(String name, int elemType, Object... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    public OnnxGraph output(String name, int elemType, Object... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    public OnnxGraph initializer(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) b.putFloat(f);
        initializers.add(tensor(name, FLOAT, dims, b.array()));
        return this;
    }

    public OnnxGraph initializer(String name, long[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) b.putLong(v);
        initializers.add(tensor(name, INT64, dims, b.array()));
        return this;
    }

    public OnnxGraph node(String opType, List<String> in, List<String> out, Attr... attrs) {
        Protobuf n = new Protobuf();
        for (String i : in) n.string(1, i);
        for (String o : out) n.string(2, o);
        n.string(3, opType + "_" + nodeCount++);
        n.string(4, opType);
        for (Attr a : attrs) n.message(5, a.value());
        nodes.add(n);
        return this;
    }

    /** The serialised ModelProto. */
    public byte[] toModel(int opset) {
        Protobuf graph = new Protobuf();
        for (Protobuf n : nodes) graph.message(1, n);
        graph.string(2, name);
        for (Protobuf t : initializers) graph.message(5, t);
        for (Protobuf i : inputs) graph.message(11, i);
        for (Protobuf o : outputs) graph.message(12, o);
        Protobuf model = new Protobuf();
        model.varint(1, IR_VERSION);
        model.string(2, "vigil");
        model.string(3, "0.1");
        model.message(7, graph);
        model.message(8, new Protobuf().string(1, "").varint(2, opset));
        return model.toBytes();
    }

    public void write(Path file, int opset) {
        try {
            Files.write(file, toModel(opset));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Protobuf tensor(String name, int type, long[] dims, byte[] raw) {
        Protobuf t = new Protobuf();
        for (long d : dims) t.varint(1, d);
        t.varint(2, type);
        t.string(8, name);
        t.bytes(9, raw);
        return t;
    }

    private static Protobuf valueInfo(String name, int elemType, Object[] dims) {
        Protobuf shape = new Protobuf();
        for (Object d : dims) {
            Protobuf dim = new Protobuf();
            if (d instanceof String s) dim.string(2, s);
            else dim.varint(1, ((Number) d).longValue());
            shape.message(1, dim);
        }
        Protobuf tensorType = new Protobuf().varint(1, elemType).message(2, shape);
        Protobuf type = new Protobuf().message(1, tensorType);
        return new Protobuf().string(1, name).message(2, type);
    }
}
