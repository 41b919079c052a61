package io.vigil.lab.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Dot} with lane-wise fma, loopBound and a scalar tail. */
final class VectorDot {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorDot() {}

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int bound = F.loopBound(n);
        FloatVector av = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).fma(av, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** {@link Dot#scoresTransposed}: kb a multiple of the lane count (the tiled kernel's 64). */
    static void scoresTransposed(float[] q, int qo, float[] kT, int ko, int d, int kb, float scale, float[] out, int oo) {
        for (int j = 0; j < kb; j += F.length()) {
            FloatVector acc = FloatVector.zero(F);
            for (int x = 0; x < d; x++) acc = FloatVector.fromArray(F, kT, ko + x * kb + j).fma(FloatVector.broadcast(F, q[qo + x]), acc);
            acc.mul(scale).intoArray(out, oo + j);
        }
    }
}
