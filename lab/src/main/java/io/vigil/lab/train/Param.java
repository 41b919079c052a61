package io.vigil.lab.train;

import java.util.Arrays;

/**
 * One trainable tensor: its state_dict name and shape, the double-precision master values, and the gradient
 * accumulated for them. Training runs in double (the same code the gradient checks use); weights are written as
 * float32.
 */
public final class Param {
    public final String name;
    public final long[] shape;
    public final double[] value;
    public final double[] grad;

    public Param(String name, long... shape) {
        this.name = name;
        this.shape = shape;
        long n = 1;
        for (long d : shape) n *= d;
        this.value = new double[(int) n];
        this.grad = new double[(int) n];
    }

    public int size() {
        return value.length;
    }

    public void zeroGrad() {
        Arrays.fill(grad, 0);
    }

    public float[] toFloats() {
        float[] f = new float[value.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) value[i];
        return f;
    }
}
