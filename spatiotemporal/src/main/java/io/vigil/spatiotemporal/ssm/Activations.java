package io.vigil.spatiotemporal.ssm;

/**
 * The scalar activations of the Mamba block, in one place: the kernels, the block and the training code call these
 * (the Vector API versions are in {@code VectorMath}). Float for inference, double for training.
 */
public final class Activations {
    private Activations() {}

    /** softplus(x) = log(1 + e^x); x itself above 20, where the difference is below float resolution. */
    public static float softplus(float x) {
        return x > 20f ? x : (float) Math.log1p(Math.exp(x));
    }

    /** SiLU(x) = x · sigmoid(x). */
    public static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    public static double softplus(double x) {
        return x > 20 ? x : Math.log1p(Math.exp(x));
    }

    public static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** d SiLU / dx = s · (1 + x · (1 - s)), s = sigmoid(x). */
    public static double dsilu(double x) {
        double s = sigmoid(x);
        return s * (1 + x * (1 - s));
    }
}
