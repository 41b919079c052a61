package io.vigil.spatiotemporal.ssm;

import java.util.Arrays;

/**
 * The recurrent state of one Mamba block for one stream: the last K pre-conv inputs (oldest first) and the SSM
 * state h. Its size is fixed by the block's shape, whatever the stream's length.
 */
public final class MambaState {
    /** [E][K]: conv window, index K-1 is the newest input. */
    public final float[] conv;
    /** [E][N]: h. */
    public final float[] ssm;
    public final int dInner;
    public final int dConv;
    public final int dState;

    public MambaState(int dInner, int dConv, int dState) {
        this.dInner = dInner;
        this.dConv = dConv;
        this.dState = dState;
        this.conv = new float[dInner * dConv];
        this.ssm = new float[dInner * dState];
    }

    public void reset() {
        Arrays.fill(conv, 0f);
        Arrays.fill(ssm, 0f);
    }

    public MambaState copy() {
        MambaState s = new MambaState(dInner, dConv, dState);
        System.arraycopy(conv, 0, s.conv, 0, conv.length);
        System.arraycopy(ssm, 0, s.ssm, 0, ssm.length);
        return s;
    }

    public void copyFrom(MambaState o) {
        if (o.conv.length != conv.length || o.ssm.length != ssm.length) throw new IllegalArgumentException("state shapes differ");
        System.arraycopy(o.conv, 0, conv, 0, conv.length);
        System.arraycopy(o.ssm, 0, ssm, 0, ssm.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MambaState s && Arrays.equals(conv, s.conv) && Arrays.equals(ssm, s.ssm);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(conv) + Arrays.hashCode(ssm);
    }
}
