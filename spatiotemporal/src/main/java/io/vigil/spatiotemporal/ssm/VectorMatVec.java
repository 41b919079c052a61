package io.vigil.spatiotemporal.ssm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link MatVec} with lane-wise dot products; loaded only when jdk.incubator.vector is present. */
final class VectorMatVec {
    private static final VectorSpecies<Float> F = VectorMath.F;

    private VectorMatVec() {}

    /** @return how many outputs (a multiple of the lane count) were written; the caller does the rest */
    static int applyT(float[] wT, int out, int in, float[] x, int xOff, int xStride, int len, float[] y, int yOff, int yStride) {
        int bound = F.loopBound(out);
        for (int ob = 0; ob < bound; ob += F.length()) {
            for (int t = 0; t < len; t++) {
                int xr = xOff + t * xStride;
                FloatVector acc = FloatVector.zero(F);
                for (int i = 0; i < in; i++) {
                    acc = FloatVector.fromArray(F, wT, i * out + ob).fma(FloatVector.broadcast(F, x[xr + i]), acc);
                }
                acc.intoArray(y, yOff + t * yStride + ob);
            }
        }
        return bound;
    }

    static void apply(float[] w, int out, int in, float[] x, int xOff, int xStride, int len, float[] y, int yOff, int yStride) {
        int bound = F.loopBound(in);
        for (int t = 0; t < len; t++) {
            int xr = xOff + t * xStride;
            int yr = yOff + t * yStride;
            for (int o = 0; o < out; o++) {
                int wr = o * in;
                FloatVector acc = FloatVector.zero(F);
                int i = 0;
                for (; i < bound; i += F.length()) {
                    acc = FloatVector.fromArray(F, w, wr + i).fma(FloatVector.fromArray(F, x, xr + i), acc);
                }
                float s = acc.reduceLanes(VectorOperators.ADD);
                for (; i < in; i++) s += w[wr + i] * x[xr + i];
                y[yr + o] = s;
            }
        }
    }
}
