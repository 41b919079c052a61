package io.vigil.spatiotemporal.ssm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise exp, softplus and SiLU on float vectors, cheaper than the JDK's EXP/LOG1P and accurate to a few
 * float ulps (the golden tolerance is 1e-4 relative).
 *
 * <p>exp: Cephes' expf. x = k·ln2 + r with k = round(x·log2 e) found with the 1.5·2^23 rounding trick,
 * e^r by a degree-7 polynomial, 2^k by writing k+127 into the exponent bits. Inputs are clamped to
 * [-87.3, 88.3], where float exp neither overflows nor goes subnormal.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    private VectorMath() {}

    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.3f);
        FloatVector t = x.fma(LOG2E, MAGIC);           // round(x·log2e) sits in the low mantissa bits
        IntVector k = t.reinterpretAsInts().sub(MAGIC_BITS);
        FloatVector kf = t.sub(MAGIC);
        FloatVector r = kf.fma(c(-LN2_HI), x);
        r = kf.fma(c(-LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, c(8.3334519073e-3f));
        p = p.fma(r, c(4.1665795894e-2f));
        p = p.fma(r, c(1.6666665459e-1f));
        p = p.fma(r, c(5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector pow2 = k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(pow2);
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

    /** x · sigmoid(x). */
    static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(1f));
    }
}
