package io.vigil.spatiotemporal.ssm;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.io.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameters of one Mamba block, named and shaped like the reference module's state_dict so real
 * checkpoints load (E = expand·d_model, R = dt_rank, N = d_state, K = d_conv):
 *
 * <pre>
 * in_proj.weight  [2E][d_model]   conv1d.weight [E][1][K]   conv1d.bias [E]
 * x_proj.weight   [R+2N][E]       dt_proj.weight [E][R]     dt_proj.bias [E]
 * A_log           [E][N]          D [E]                     out_proj.weight [d_model][E]
 * </pre>
 *
 * Every tensor is checked at load: present, consistent shape, finite values; errors name the tensor.
 */
public final class MambaWeights {
    public final int dModel;
    public final int dInner;
    public final int dState;
    public final int dConv;
    public final int dtRank;

    final float[] inProj;   // [2E][d_model]
    final float[] convW;    // [E][K]
    final float[] convB;    // [E]
    final float[] xProj;    // [R+2N][E]
    final float[] dtProjW;  // [E][R]
    final float[] dtProjB;  // [E]
    final float[] aLog;     // [E][N]
    final float[] a;        // [E][N] = -exp(A_log)
    final float[] dSkip;    // [E]
    final float[] outProj;  // [d_model][E]
    final float[] inProjT;  // [d_model][2E]   transposed copies for MatVec.applyT
    final float[] xProjT;   // [E][R+2N]
    final float[] dtProjWT; // [R][E]
    final float[] outProjT; // [E][d_model]

    private MambaWeights(Map<String, float[]> t, int dModel, int dInner, int dState, int dConv, int dtRank) {
        this.dModel = dModel;
        this.dInner = dInner;
        this.dState = dState;
        this.dConv = dConv;
        this.dtRank = dtRank;
        inProj = t.get("in_proj.weight");
        convW = t.get("conv1d.weight");
        convB = t.get("conv1d.bias");
        xProj = t.get("x_proj.weight");
        dtProjW = t.get("dt_proj.weight");
        dtProjB = t.get("dt_proj.bias");
        aLog = t.get("A_log");
        dSkip = t.get("D");
        outProj = t.get("out_proj.weight");
        a = new float[aLog.length];
        for (int i = 0; i < a.length; i++) a[i] = (float) -Math.exp(aLog[i]);
        inProjT = MatVec.transpose(inProj, 2 * dInner, dModel);
        xProjT = MatVec.transpose(xProj, dtRank + 2 * dState, dInner);
        dtProjWT = MatVec.transpose(dtProjW, dInner, dtRank);
        outProjT = MatVec.transpose(outProj, dModel, dInner);
    }

    public static final List<String> NAMES = List.of("in_proj.weight", "conv1d.weight", "conv1d.bias", "x_proj.weight",
            "dt_proj.weight", "dt_proj.bias", "A_log", "D", "out_proj.weight");

    /** Reads the block whose tensors are named {@code prefix + name} (prefix "" for a bare block). */
    public static MambaWeights from(SafeTensors st, String prefix) {
        Map<String, Tensor> found = new LinkedHashMap<>();
        for (String n : NAMES) {
            String full = prefix + n;
            if (!st.has(full)) throw new SafeTensorsException("weights: tensor " + full + " is missing");
            Tensor t = st.get(full);
            if (t.dtype() != Tensor.DType.F32) throw new SafeTensorsException("weights: tensor " + full + " must be F32, is " + t.dtype());
            found.put(n, t);
        }
        Tensor in = found.get("in_proj.weight");
        shape(prefix, in, 2);
        int twoE = in.dim(0);
        int dModel = in.dim(1);
        if (twoE % 2 != 0) throw new SafeTensorsException("weights: tensor " + prefix + "in_proj.weight has an odd first dimension " + twoE);
        int e = twoE / 2;
        Tensor conv = found.get("conv1d.weight");
        shape(prefix, conv, 3);
        int k = conv.dim(2);
        Tensor dtW = found.get("dt_proj.weight");
        shape(prefix, dtW, 2);
        int r = dtW.dim(1);
        Tensor aLog = found.get("A_log");
        shape(prefix, aLog, 2);
        int n = aLog.dim(1);
        expect(prefix, conv, e, 1, k);
        expect(prefix, found.get("conv1d.bias"), e);
        expect(prefix, found.get("x_proj.weight"), r + 2 * n, e);
        expect(prefix, dtW, e, r);
        expect(prefix, found.get("dt_proj.bias"), e);
        expect(prefix, aLog, e, n);
        expect(prefix, found.get("D"), e);
        expect(prefix, found.get("out_proj.weight"), dModel, e);
        Map<String, float[]> data = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> en : found.entrySet()) {
            float[] f = en.getValue().floats();
            for (int i = 0; i < f.length; i++) {
                if (!Float.isFinite(f[i])) {
                    throw new SafeTensorsException("weights: tensor " + prefix + en.getKey() + " holds " + f[i] + " at flat index " + i);
                }
            }
            data.put(en.getKey(), f);
        }
        return new MambaWeights(data, dModel, e, n, k, r);
    }

    /** The tensors back in state_dict form, for writing a checkpoint. */
    public List<Tensor> toTensors(String prefix) {
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.f32(prefix + "in_proj.weight", new long[] {2L * dInner, dModel}, inProj));
        out.add(Tensor.f32(prefix + "conv1d.weight", new long[] {dInner, 1, dConv}, convW));
        out.add(Tensor.f32(prefix + "conv1d.bias", new long[] {dInner}, convB));
        out.add(Tensor.f32(prefix + "x_proj.weight", new long[] {dtRank + 2L * dState, dInner}, xProj));
        out.add(Tensor.f32(prefix + "dt_proj.weight", new long[] {dInner, dtRank}, dtProjW));
        out.add(Tensor.f32(prefix + "dt_proj.bias", new long[] {dInner}, dtProjB));
        out.add(Tensor.f32(prefix + "A_log", new long[] {dInner, dState}, aLog));
        out.add(Tensor.f32(prefix + "D", new long[] {dInner}, dSkip));
        out.add(Tensor.f32(prefix + "out_proj.weight", new long[] {dModel, dInner}, outProj));
        return out;
    }

    /**
     * Random weights following the reference initialisation (S4D-real A_log = ln(n+1), D = 1, dt bias from
     * log-uniform dt in [1e-3, 1e-1], uniform fan-in init elsewhere). A test and benchmark fixture: never a model.
     */
    public static MambaWeights random(int dModel, int dState, int dConv, int expand, long seed) {
        Random rnd = new Random(seed);
        int e = expand * dModel;
        int r = (int) Math.ceil(dModel / 16.0);
        Map<String, float[]> t = new LinkedHashMap<>();
        t.put("in_proj.weight", uniform(rnd, 2 * e * dModel, 1 / Math.sqrt(dModel)));
        t.put("conv1d.weight", uniform(rnd, e * dConv, 1 / Math.sqrt(dConv)));
        t.put("conv1d.bias", uniform(rnd, e, 1 / Math.sqrt(dConv)));
        t.put("x_proj.weight", uniform(rnd, (r + 2 * dState) * e, 1 / Math.sqrt(e)));
        t.put("dt_proj.weight", uniform(rnd, e * r, 1 / Math.sqrt(r)));
        float[] dtb = new float[e];
        for (int i = 0; i < e; i++) {
            double dt = Math.exp(rnd.nextDouble() * (Math.log(0.1) - Math.log(1e-3)) + Math.log(1e-3));
            dtb[i] = (float) (dt + Math.log(-Math.expm1(-dt)));
        }
        t.put("dt_proj.bias", dtb);
        float[] aLog = new float[e * dState];
        for (int i = 0; i < e; i++) for (int n = 0; n < dState; n++) aLog[i * dState + n] = (float) Math.log(n + 1);
        t.put("A_log", aLog);
        float[] d = new float[e];
        Arrays.fill(d, 1f);
        t.put("D", d);
        t.put("out_proj.weight", uniform(rnd, dModel * e, 1 / Math.sqrt(e)));
        return new MambaWeights(t, dModel, e, dState, dConv, r);
    }

    private static float[] uniform(Random rnd, int n, double bound) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return f;
    }

    private static void shape(String prefix, Tensor t, int rank) {
        if (t.rank() != rank) throw new SafeTensorsException("weights: tensor " + t.name() + " has rank " + t.rank() + ", expected " + rank);
    }

    private static void expect(String prefix, Tensor t, long... dims) {
        if (!Arrays.equals(t.shape(), dims)) {
            throw new SafeTensorsException("weights: tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(dims));
        }
    }
}
