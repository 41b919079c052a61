package io.vigil.spatiotemporal.ssm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise exp, softplus and SiLU on float vectors, cheaper than the JDK's EXP/LOG1P and accurate to a few
 * float ulps (the golden tolerance is 1e-4 relative).
 *
 * <p>exp: x = k·ln2 + r with k = round(x·log2 e) found with the 1.5·2^23 rounding trick, e^r by a degree-5
 * polynomial, 2^k by writing k+127 into the exponent bits. Inputs are clamped to [-87.3, 88.3], where float
 * exp neither overflows nor goes subnormal. Relative error below 3e-7.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    // the constants live in ScalarMath, which loads without the Vector API
    static final float MAGIC = ScalarMath.MAGIC;
    static final float LOG2E = ScalarMath.LOG2E;
    static final float NEG_LN2 = ScalarMath.NEG_LN2;
    static final int EXP_BIAS = ScalarMath.EXP_BIAS;
    static final float P0 = ScalarMath.P0;
    static final float P1 = ScalarMath.P1;
    static final float P2 = ScalarMath.P2;
    static final float P3 = ScalarMath.P3;

    private VectorMath() {}

    // Constants are broadcast at the use site: C2 folds those, and keeps the vectors in registers.
    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.3f);
        FloatVector t = x.fma(LOG2E, MAGIC);              // round(x·log2e) sits in the low mantissa bits
        FloatVector r = t.sub(MAGIC).fma(FloatVector.broadcast(F, NEG_LN2), x); // r in [-ln2/2, ln2/2]
        FloatVector q = r.fma(P3, P2).fma(r, FloatVector.broadcast(F, P1)).fma(r, FloatVector.broadcast(F, P0));
        return q.fma(r.mul(r), r).add(1f).mul(pow2(t));   // (1 + r + r²·q(r)) · 2^k
    }

    /** 2^k for the k held in t = k + 1.5·2^23, by writing k + 127 into the exponent field. */
    static FloatVector pow2(FloatVector t) {
        return t.reinterpretAsInts().add(EXP_BIAS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    /**
     * softplus(x) = max(x, 0) + log1p(e^-|x|), and exactly x above 20 as the reference does. The log1p of
     * w in (0, 1] uses log(1+w) = 2·atanh(s), s = w/(2+w) in (0, 1/3], summed to s^11 (error below 1e-7).
     */
    static FloatVector softplus(FloatVector x) {
        FloatVector w = exp(x.abs().neg());
        FloatVector s = w.div(w.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector q = s2.fma(2f / 11f, 2f / 9f);
        q = q.fma(s2, c(2f / 7f));
        q = q.fma(s2, c(2f / 5f));
        q = q.fma(s2, c(2f / 3f));
        q = q.fma(s2, c(2f));
        FloatVector sp = x.max(0f).add(q.mul(s));
        return sp.blend(x, x.compare(VectorOperators.GT, 20f));
    }

    private static FloatVector c(float v) {
        return FloatVector.broadcast(F, v);
    }

    /** a[i] = a[i] · sigmoid(a[i]) for i in [from, to), in place; returns where the vector part stopped. */
    static int siluInPlace(float[] a, int from, int to) {
        int i = from;
        for (; i + F.length() <= to; i += F.length()) silu(FloatVector.fromArray(F, a, i)).intoArray(a, i);
        return i;
    }

    /** a[i] = e^(a[i] - shift) for i in [from, to), in place; returns the sum (the tail through ScalarMath.exp). */
    static float expShiftedInPlace(float[] a, int from, int to, float shift) {
        FloatVector acc = FloatVector.zero(F);
        int i = from;
        for (; i + F.length() <= to; i += F.length()) {
            FloatVector e = exp(FloatVector.fromArray(F, a, i).sub(shift));
            e.intoArray(a, i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            float e = ScalarMath.exp(a[i] - shift);
            a[i] = e;
            sum += e;
        }
        return sum;
    }

    /** x · sigmoid(x). */
    static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(1f));
    }
}
