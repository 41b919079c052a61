package io.vigil.models.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * The float outputs of one session run, flattened row-major, with their shapes (batch axis first). Decoders
 * read image {@code b} of a batch at {@link #offset}.
 */
public final class RawOutputs {
    private final Map<String, float[]> data = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();

    public RawOutputs put(String name, float[] values, long[] shape) {
        data.put(name, values);
        shapes.put(name, shape);
        return this;
    }

    public float[] data(String name) {
        float[] d = data.get(name);
        if (d == null) throw new IllegalArgumentException("no output '" + name + "'");
        return d;
    }

    /** Shape including the batch axis. */
    public long[] shape(String name) {
        return shapes.get(name);
    }

    /** Where image {@code b}'s values start. */
    public int offset(String name, int b) {
        long[] s = shape(name);
        long per = 1;
        for (int i = 1; i < s.length; i++) per *= s[i];
        return (int) (b * per);
    }
}
