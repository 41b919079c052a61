package io.vigil.models.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * How many of an ONNX graph's initializers are also listed as graph inputs (old exporters did that; ONNX Runtime then
 * treats them as overridable, skips constant folding for them and warns once per initializer at load). Read from the
 * file's protobuf wire format (ModelProto.graph = 7; GraphProto.initializer = 5, input = 11; TensorProto.name = 8;
 * ValueInfoProto.name = 1), skipping tensor data without copying it.
 */
public final class InitializerInputs {
    private InitializerInputs() {}

    public static int count(Path onnx) {
        try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
            ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            Set<String> initializers = new HashSet<>();
            Set<String> inputs = new HashSet<>();
            while (b.hasRemaining()) {
                long tag = varint(b);
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    int len = (int) varint(b);
                    graph(b.slice(b.position(), len), initializers, inputs);
                    b.position(b.position() + len);
                } else {
                    skip(b, (int) (tag & 7));
                }
            }
            inputs.retainAll(initializers);
            return inputs.size();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + onnx, e);
        } catch (RuntimeException e) {
            return 0; // not a graph this reader understands: ONNX Runtime will say what is wrong with it
        }
    }

    private static void graph(ByteBuffer g, Set<String> initializers, Set<String> inputs) {
        while (g.hasRemaining()) {
            long tag = varint(g);
            int field = (int) (tag >>> 3);
            if ((tag & 7) == 2 && (field == 5 || field == 11)) {
                int len = (int) varint(g);
                String name = name(g.slice(g.position(), len), field == 5 ? 8 : 1);
                if (name != null) (field == 5 ? initializers : inputs).add(name);
                g.position(g.position() + len);
            } else {
                skip(g, (int) (tag & 7));
            }
        }
    }

    private static String name(ByteBuffer m, int nameField) {
        while (m.hasRemaining()) {
            long tag = varint(m);
            if (tag >>> 3 == nameField && (tag & 7) == 2) {
                byte[] s = new byte[(int) varint(m)];
                m.get(s);
                return new String(s, StandardCharsets.UTF_8);
            }
            skip(m, (int) (tag & 7));
        }
        return null;
    }

    private static void skip(ByteBuffer b, int wireType) {
        switch (wireType) {
            case 0 -> varint(b);
            case 1 -> b.position(b.position() + 8);
            case 2 -> {
                int len = (int) varint(b);
                b.position(b.position() + len);
            }
            case 5 -> b.position(b.position() + 4);
            default -> throw new IllegalArgumentException("wire type " + wireType);
        }
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7f) << shift;
            if (x >= 0) return v;
        }
        throw new IllegalArgumentException("varint too long");
    }
}
