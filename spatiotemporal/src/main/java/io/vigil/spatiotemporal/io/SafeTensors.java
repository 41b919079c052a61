package io.vigil.spatiotemporal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length n, n bytes of UTF-8 JSON
 * ({@code name -> {dtype, shape, data_offsets}} plus an optional {@code __metadata__} string map), then the raw
 * little-endian row-major data. Only F32 and I64 are supported. Every structural problem is reported with the
 * file and the tensor it concerns; nothing is trusted before it is checked against the file's real size.
 */
public final class SafeTensors {
    /** Headers larger than this are refused before allocation (the reference implementation uses 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    public static SafeTensors read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SafeTensorsException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(bytes, file.toString());
    }

    public static SafeTensors parse(byte[] bytes, String where) {
        if (bytes.length < 8) throw new SafeTensorsException(where + ": truncated: " + bytes.length + " bytes, no header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n < 2 || n > MAX_HEADER_BYTES) throw new SafeTensorsException(where + ": header length " + n + " is out of range (2.." + MAX_HEADER_BYTES + ")");
        if (8 + n > bytes.length) throw new SafeTensorsException(where + ": truncated: header claims " + n + " bytes, file has " + (bytes.length - 8) + " after the length");
        String json = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = new MiniJson(json).parseDocument();
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(where + ": header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> header)) throw new SafeTensorsException(where + ": header is not a JSON object");
        long dataStart = 8 + n;
        long dataLen = bytes.length - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        List<long[]> regions = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw new SafeTensorsException(where + ": __metadata__ is not an object");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String s)) throw new SafeTensorsException(where + ": __metadata__." + me.getKey() + " is not a string");
                    meta.put((String) me.getKey(), s);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new SafeTensorsException(where + ": tensor " + name + ": entry is not an object");
            Object dt = info.get("dtype");
            Tensor.DType dtype;
            if ("F32".equals(dt)) dtype = Tensor.DType.F32;
            else if ("I64".equals(dt)) dtype = Tensor.DType.I64;
            else throw new SafeTensorsException(where + ": tensor " + name + ": unsupported dtype " + dt + " (supported: F32, I64)");
            long[] shape = longs(info.get("shape"), where, name, "shape");
            for (long d : shape) if (d < 0) throw new SafeTensorsException(where + ": tensor " + name + ": negative dimension in shape");
            long[] off = longs(info.get("data_offsets"), where, name, "data_offsets");
            if (off.length != 2 || off[0] < 0 || off[1] < off[0] || off[1] > dataLen) {
                throw new SafeTensorsException(where + ": tensor " + name + ": data_offsets " + Arrays.toString(off)
                        + " outside the data section of " + dataLen + " bytes");
            }
            long elements = Tensor.elements(shape);
            if (elements * dtype.bytes != off[1] - off[0]) {
                throw new SafeTensorsException(where + ": tensor " + name + ": shape " + Arrays.toString(shape) + " of " + dtype
                        + " needs " + elements * dtype.bytes + " bytes, data_offsets give " + (off[1] - off[0]));
            }
            if (elements > Integer.MAX_VALUE) throw new SafeTensorsException(where + ": tensor " + name + " is too large for one array");
            regions.add(new long[] {off[0], off[1]});
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + off[0]), (int) (off[1] - off[0])).slice().order(ByteOrder.LITTLE_ENDIAN);
            if (dtype == Tensor.DType.F32) {
                float[] f = new float[(int) elements];
                slice.asFloatBuffer().get(f);
                tensors.put(name, Tensor.f32(name, shape, f));
            } else {
                long[] l = new long[(int) elements];
                slice.asLongBuffer().get(l);
                tensors.put(name, Tensor.i64(name, shape, l));
            }
        }
        regions.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < regions.size(); i++) {
            if (regions.get(i)[0] < regions.get(i - 1)[1]) throw new SafeTensorsException(where + ": tensors overlap in the data section");
        }
        return new SafeTensors(tensors, meta);
    }

    private static long[] longs(Object o, String where, String tensor, String field) {
        if (!(o instanceof List<?> l)) throw new SafeTensorsException(where + ": tensor " + tensor + ": " + field + " is not a list");
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v)) throw new SafeTensorsException(where + ": tensor " + tensor + ": " + field + " holds a non-integer");
            out[i] = v;
        }
        return out;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor, or an error naming it and the file's tensors. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new SafeTensorsException("tensor " + name + " is missing (have " + tensors.keySet() + ")");
        return t;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Writes tensors in the given order, with optional metadata; header padded with spaces to a multiple of 8. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toBytes(tensors, metadata));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static byte[] toBytes(List<Tensor> tensors, Map<String, String> metadata) {
        StringBuilder h = new StringBuilder("{");
        boolean first = true;
        if (metadata != null && !metadata.isEmpty()) {
            h.append("\"__metadata__\":{");
            boolean f2 = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!f2) h.append(',');
                MiniJson.quote(h, e.getKey());
                h.append(':');
                MiniJson.quote(h, e.getValue());
                f2 = false;
            }
            h.append('}');
            first = false;
        }
        long offset = 0;
        for (Tensor t : tensors) {
            long len = t.size() * t.dtype().bytes;
            if (!first) h.append(',');
            MiniJson.quote(h, t.name());
            h.append(":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) h.append(i == 0 ? "" : ",").append(t.shape()[i]);
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + len).append("]}");
            offset += len;
            first = false;
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(header);
        for (int i = header.length; i < padded; i++) buf.put((byte) ' ');
        for (Tensor t : tensors) {
            if (t.dtype() == Tensor.DType.F32) for (float v : t.floats()) buf.putFloat(v);
            else for (long v : t.longs()) buf.putLong(v);
        }
        return buf.array();
    }
}
