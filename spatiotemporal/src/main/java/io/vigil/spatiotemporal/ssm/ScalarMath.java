package io.vigil.spatiotemporal.ssm;

/**
 * The scalar twins of {@link VectorMath}: the same float polynomial exp, softplus and SiLU, one value at a time.
 * They exist so that a scalar kernel can pay for exp what the vector kernel pays, and the vector kernel's speed-up
 * is about SIMD alone (issue 19: the reference kernel's double-precision {@code Math.exp} is dearer).
 */
final class ScalarMath {
    static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    static final float LOG2E = 1.44269504088896341f;
    static final float NEG_LN2 = -0.69314718055994531f;
    static final int EXP_BIAS = 127 - Float.floatToRawIntBits(MAGIC);
    /** q(r) with e^r ≈ 1 + r + r²·q(r) on [-ln2/2, ln2/2]: least-squares fit, relative error 1.7e-7. */
    static final float P0 = 0.49999141693115234f;
    static final float P1 = 0.1666688621044159f;
    static final float P2 = 0.04189857840538025f;
    static final float P3 = 0.008333837613463402f;

    private ScalarMath() {}

    /** e^x by x = k·ln2 + r and a degree-5 polynomial for e^r; the same steps and constants as VectorMath.exp. */
    static float exp(float x) {
        x = Math.min(Math.max(x, -87.3f), 88.3f);
        float t = Math.fma(x, LOG2E, MAGIC);
        float r = Math.fma(t - MAGIC, NEG_LN2, x);
        float q = Math.fma(Math.fma(Math.fma(r, P3, P2), r, P1), r, P0);
        float pow2 = Float.intBitsToFloat((Float.floatToRawIntBits(t) + EXP_BIAS) << 23);
        return (Math.fma(q, r * r, r) + 1f) * pow2;
    }

    /** max(x, 0) + log1p(e^-|x|), x itself above 20; log1p by the same atanh series as VectorMath.softplus. */
    static float softplus(float x) {
        if (x > 20f) return x;
        float w = exp(-Math.abs(x));
        float s = w / (w + 2f);
        float s2 = s * s;
        float q = Math.fma(s2, 2f / 11f, 2f / 9f);
        q = Math.fma(q, s2, 2f / 7f);
        q = Math.fma(q, s2, 2f / 5f);
        q = Math.fma(q, s2, 2f / 3f);
        q = Math.fma(q, s2, 2f);
        return Math.max(x, 0f) + q * s;
    }

    static float silu(float x) {
        return x / (exp(-x) + 1f);
    }
}
