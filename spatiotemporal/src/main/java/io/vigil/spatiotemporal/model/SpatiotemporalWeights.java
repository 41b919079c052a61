package io.vigil.spatiotemporal.model;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.io.Tensor;
import io.vigil.spatiotemporal.scan.ScanPaths;
import io.vigil.spatiotemporal.ssm.MambaWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameters of a {@link SpatiotemporalModel} and their file form (safetensors, format
 * {@code vigil-spatiotemporal/1}: the shape in the metadata, tensors named {@code patch_embed.weight},
 * {@code patch_embed.bias}, {@code layers.L.norm.weight}, {@code layers.L.dirs.D.<Mamba block>}, {@code norm_f.weight}).
 * Immutable once made; one instance can back any number of models (each model owns only workspaces).
 *
 * @param config  the model's shape
 * @param patchW  [d_model][C·p·p] patch embedding
 * @param patchB  [d_model]
 * @param normW   [layers][d_model] RMSNorm weight before each layer
 * @param normF   [d_model] final RMSNorm weight
 * @param blocks  [layers][directions] Mamba block weights
 */
public record SpatiotemporalWeights(SpatiotemporalConfig config, float[] patchW, float[] patchB, float[][] normW, float[] normF,
                                    MambaWeights[][] blocks) {

    /** Number of scan directions of the config's path. */
    static int directions(SpatiotemporalConfig cfg) {
        return ScanPaths.create(cfg.path(), cfg.rows(), cfg.cols(), cfg.window(), cfg.step()).directions().size();
    }

    /**
     * Random weights with the reference initialisation: a TEST AND BENCHMARK FIXTURE, never an action model.
     */
    public static SpatiotemporalWeights random(SpatiotemporalConfig cfg, long seed) {
        Random rnd = new Random(seed);
        int pl = cfg.channels() * cfg.patch() * cfg.patch();
        float[] pw = new float[cfg.dModel() * pl];
        double bound = 1 / Math.sqrt(pl);
        for (int i = 0; i < pw.length; i++) pw[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        float[] pb = new float[cfg.dModel()];
        for (int i = 0; i < pb.length; i++) pb[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        int dirs = directions(cfg);
        MambaWeights[][] mw = new MambaWeights[cfg.layers()][dirs];
        for (int l = 0; l < cfg.layers(); l++) {
            for (int d = 0; d < dirs; d++) mw[l][d] = MambaWeights.random(cfg.dModel(), cfg.dState(), cfg.dConv(), cfg.expand(), rnd.nextLong());
        }
        return new SpatiotemporalWeights(cfg, pw, pb, ones(cfg.layers(), cfg.dModel()), ones(1, cfg.dModel())[0], mw);
    }

    /** Every layer and direction with the same block weights (e.g. one reference checkpoint), unit norms. */
    public static SpatiotemporalWeights withBlock(SpatiotemporalConfig cfg, MambaWeights block, float[] patchW, float[] patchB) {
        MambaWeights[][] mw = new MambaWeights[cfg.layers()][directions(cfg)];
        for (MambaWeights[] row : mw) Arrays.fill(row, block);
        return new SpatiotemporalWeights(cfg, patchW, patchB, ones(cfg.layers(), cfg.dModel()), ones(1, cfg.dModel())[0], mw);
    }

    /** Reads a file written by {@link #save}; every missing, misshapen or non-finite tensor is named. */
    public static SpatiotemporalWeights load(Path file) {
        SafeTensors st = SafeTensors.read(file);
        Map<String, String> m = st.metadata();
        SpatiotemporalConfig cfg;
        try {
            cfg = new SpatiotemporalConfig(intMeta(m, "channels"), intMeta(m, "height"), intMeta(m, "width"), intMeta(m, "patch"),
                    intMeta(m, "d_model"), intMeta(m, "d_state"), intMeta(m, "d_conv"), intMeta(m, "expand"), intMeta(m, "layers"),
                    meta(m, "path"), intMeta(m, "window"), intMeta(m, "step"));
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsException(file + ": " + e.getMessage());
        }
        int dirs = directions(cfg);
        int pl = cfg.channels() * cfg.patch() * cfg.patch();
        float[] pw = floats(st, "patch_embed.weight", cfg.dModel() * pl);
        float[] pb = floats(st, "patch_embed.bias", cfg.dModel());
        float[][] norms = new float[cfg.layers()][];
        MambaWeights[][] mw = new MambaWeights[cfg.layers()][dirs];
        for (int l = 0; l < cfg.layers(); l++) {
            norms[l] = floats(st, "layers." + l + ".norm.weight", cfg.dModel());
            for (int d = 0; d < dirs; d++) {
                MambaWeights w = MambaWeights.from(st, "layers." + l + ".dirs." + d + ".");
                if (w.dModel != cfg.dModel() || w.dState != cfg.dState() || w.dConv != cfg.dConv() || w.dInner != cfg.expand() * cfg.dModel()) {
                    throw new SafeTensorsException(file + ": layers." + l + ".dirs." + d + " has d_model " + w.dModel + ", d_state " + w.dState
                            + ", d_conv " + w.dConv + ", d_inner " + w.dInner + "; the metadata says " + cfg);
                }
                mw[l][d] = w;
            }
        }
        float[] nf = floats(st, "norm_f.weight", cfg.dModel());
        return new SpatiotemporalWeights(cfg, pw, pb, norms, nf, mw);
    }

    public void save(Path file) {
        SpatiotemporalConfig cfg = config;
        List<Tensor> ts = new ArrayList<>();
        int pl = cfg.channels() * cfg.patch() * cfg.patch();
        ts.add(Tensor.f32("patch_embed.weight", new long[] {cfg.dModel(), pl}, patchW));
        ts.add(Tensor.f32("patch_embed.bias", new long[] {cfg.dModel()}, patchB));
        for (int l = 0; l < cfg.layers(); l++) {
            ts.add(Tensor.f32("layers." + l + ".norm.weight", new long[] {cfg.dModel()}, normW[l]));
            for (int d = 0; d < blocks[l].length; d++) ts.addAll(blocks[l][d].toTensors("layers." + l + ".dirs." + d + "."));
        }
        ts.add(Tensor.f32("norm_f.weight", new long[] {cfg.dModel()}, normF));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "vigil-spatiotemporal/1");
        m.put("channels", "" + cfg.channels());
        m.put("height", "" + cfg.height());
        m.put("width", "" + cfg.width());
        m.put("patch", "" + cfg.patch());
        m.put("d_model", "" + cfg.dModel());
        m.put("d_state", "" + cfg.dState());
        m.put("d_conv", "" + cfg.dConv());
        m.put("expand", "" + cfg.expand());
        m.put("layers", "" + cfg.layers());
        m.put("path", cfg.path());
        m.put("window", "" + cfg.window());
        m.put("step", "" + cfg.step());
        SafeTensors.write(file, ts, m);
    }

    private static float[][] ones(int rows, int n) {
        float[][] a = new float[rows][n];
        for (float[] r : a) Arrays.fill(r, 1f);
        return a;
    }

    private static float[] floats(SafeTensors st, String name, int n) {
        if (!st.has(name)) throw new SafeTensorsException("weights: tensor " + name + " is missing");
        float[] f = st.get(name).floats();
        if (f == null || f.length != n) throw new SafeTensorsException("weights: tensor " + name + " has " + (f == null ? 0 : f.length) + " values, expected " + n);
        for (int i = 0; i < f.length; i++) {
            if (!Float.isFinite(f[i])) throw new SafeTensorsException("weights: tensor " + name + " holds " + f[i] + " at flat index " + i);
        }
        return f;
    }

    private static int intMeta(Map<String, String> m, String key) {
        try {
            return Integer.parseInt(meta(m, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is not an integer: " + m.get(key));
        }
    }

    private static String meta(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) throw new IllegalArgumentException("metadata '" + key + "' is missing");
        return v;
    }
}
