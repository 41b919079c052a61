package io.vigil.spatiotemporal.io;

import java.util.Arrays;

/**
 * A named dense tensor, row-major (last index fastest). Exactly one of {@link #floats()} and {@link #longs()}
 * is non-null, matching {@link #dtype()}.
 */
public record Tensor(String name, DType dtype, long[] shape, float[] floats, long[] longs) {
    public enum DType {
        F32(4), I64(8);

        public final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    public static Tensor f32(String name, long[] shape, float[] data) {
        check(name, shape, data.length);
        return new Tensor(name, DType.F32, shape.clone(), data, null);
    }

    public static Tensor i64(String name, long[] shape, long[] data) {
        check(name, shape, data.length);
        return new Tensor(name, DType.I64, shape.clone(), null, data);
    }

    public long size() {
        return elements(shape);
    }

    public int dim(int i) {
        return (int) shape[i];
    }

    public int rank() {
        return shape.length;
    }

    static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    private static void check(String name, long[] shape, int n) {
        if (elements(shape) != n) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " holds "
                    + elements(shape) + " elements, data has " + n);
        }
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
