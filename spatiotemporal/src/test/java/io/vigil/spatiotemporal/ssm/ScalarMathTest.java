package io.vigil.spatiotemporal.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The scalar polynomial activations against the JDK's double-precision ones, and against their vector twins. */
class ScalarMathTest {
    @Test
    void expIsWithinAFewUlpsOfMathExp() {
        double worst = 0;
        for (float x = -87f; x <= 88f; x += 0.0137f) {
            double want = Math.exp(x);
            worst = Math.max(worst, Math.abs(ScalarMath.exp(x) - want) / want);
        }
        assertTrue(worst < 5e-7, "largest relative error " + worst);
        assertEquals(0f, ScalarMath.exp(-1000f), 1e-37f, "clamped, not NaN");
        assertTrue(Float.isFinite(ScalarMath.exp(1000f)));
    }

    @Test
    void softplusAndSiluMatchTheReference() {
        for (float x = -30f; x <= 30f; x += 0.011f) {
            assertEquals(Activations.softplus(x), ScalarMath.softplus(x), 1e-6f * Math.max(1f, Math.abs(x)), "softplus(" + x + ")");
            assertEquals(Activations.silu(x), ScalarMath.silu(x), 1e-6f * Math.max(1f, Math.abs(x)), "silu(" + x + ")");
        }
    }

    @Test
    void theScalarAndVectorExpAgreeBitForBitOrNearly() {
        float[] xs = new float[VectorMath.F.length() * 64];
        for (int i = 0; i < xs.length; i++) xs[i] = -20f + 30f * i / xs.length;
        float[] v = new float[xs.length];
        for (int i = 0; i < xs.length; i += VectorMath.F.length()) {
            VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(VectorMath.F, xs, i)).intoArray(v, i);
        }
        for (int i = 0; i < xs.length; i++) assertEquals(v[i], ScalarMath.exp(xs[i]), Math.ulp(v[i]) * 2, "exp(" + xs[i] + ")");
    }

    @Test
    void expShiftedInPlaceSumsWhatItWrites() {
        float[] a = new float[37]; // two vectors and a tail
        for (int i = 0; i < a.length; i++) a[i] = i * 0.1f - 2f;
        float[] want = a.clone();
        float sum = FastExp.expShiftedInPlace(a, 1, 36, 1.5f);
        double s = 0;
        for (int i = 1; i < 36; i++) {
            assertEquals(Math.exp(want[i] - 1.5f), a[i], 1e-6 * Math.exp(want[i] - 1.5f), "a[" + i + "]");
            s += a[i];
        }
        assertEquals(s, sum, 1e-4);
        assertEquals(want[0], a[0]);
        assertEquals(want[36], a[36]);
    }
}
