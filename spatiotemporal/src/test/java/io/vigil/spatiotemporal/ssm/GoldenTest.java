package io.vigil.spatiotemporal.ssm;

import static io.vigil.spatiotemporal.Close.assertAllClose;
import static io.vigil.spatiotemporal.Close.transpose;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.Tensor;
import io.vigil.spatiotemporal.scan.ScanPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reference file in the golden directory ({@code vigil.golden.dir}, else {@code <vigil.shared>/golden}),
 * for both kernels: every stored output tensor compared with atol 1e-4, rtol 1e-4. Shapes come from the files.
 */
class GoldenTest {
    static Path goldenDir() {
        String dir = System.getProperty("vigil.golden.dir");
        Path p = dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("vigil.shared", "../shared"), "golden");
        if (!Files.isDirectory(p)) throw new IllegalStateException("golden directory missing: " + p.toAbsolutePath());
        return p;
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenFileWithBothKernels() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(goldenDir())) {
            files = s.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .safetensors files in " + goldenDir());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            for (String kernel : List.of("scalar", "vector")) {
                tests.add(DynamicTest.dynamicTest(f.getFileName() + " [" + kernel + "]", () -> check(f, kernel)));
            }
        }
        return tests.stream();
    }

    /** What this test knows how to read; a file from another generator or layout fails naming what differs. */
    static final String GENERATOR = "gen_golden.py v1";
    static final String LAYOUT = "float32, row-major";
    static final String FRAME_ORDER = "frame-major, then row-major raster (row, col) within a frame";

    private static void check(Path file, String kernel) {
        SafeTensors st = SafeTensors.read(file);
        checkLayout(file, st);
        String kase = st.metadata().get("case");
        switch (kase == null ? "" : kase) {
            case "selective_scan" -> selectiveScan(st, kernel, file);
            case "selective_scan_streaming" -> streaming(st, kernel, file);
            case "mamba_block" -> block(st, kernel, file);
            case "mamba_block_spatiotemporal" -> spatiotemporal(st, kernel, file);
            default -> fail(file + ": unknown case '" + kase + "' (this test reads selective_scan, selective_scan_streaming, mamba_block, "
                    + "mamba_block_spatiotemporal); see ../shared/golden/README.md");
        }
    }

    static void checkLayout(Path file, SafeTensors st) {
        java.util.Map<String, String> m = st.metadata();
        String gen = m.get("generator");
        String dtype = m.get("dtype");
        if (!GENERATOR.equals(gen)) fail(file + ": generator '" + gen + "' is not the one this test reads (" + GENERATOR + ")");
        if (dtype == null || !dtype.startsWith(LAYOUT)) fail(file + ": layout '" + dtype + "' is not the one this test reads (" + LAYOUT + ")");
        if ("mamba_block_spatiotemporal".equals(m.get("case")) && !FRAME_ORDER.equals(m.get("order"))) {
            fail(file + ": token order '" + m.get("order") + "' is not the one this test reads (" + FRAME_ORDER + ")");
        }
    }

    /** Token-major inputs of batch element b. */
    private record ScanInputs(int dim, int n, int len, float[] u, float[] delta, float[] z, float[] b, float[] c) {
        static ScanInputs of(SafeTensors st, int bIdx) {
            Tensor u = st.get("u");
            int dim = u.dim(1);
            int len = u.dim(2);
            int n = st.get("B").dim(1);
            return new ScanInputs(dim, n, len,
                    transpose(u.floats(), bIdx * dim * len, dim, len),
                    transpose(st.get("delta").floats(), bIdx * dim * len, dim, len),
                    transpose(st.get("z").floats(), bIdx * dim * len, dim, len),
                    transpose(st.get("B").floats(), bIdx * n * len, n, len),
                    transpose(st.get("C").floats(), bIdx * n * len, n, len));
        }

        void run(SelectiveScanKernel k, SafeTensors st, int from, int count, float[] state, float[] out) {
            k.scan(dim, n, count, slice(u, from * dim, count * dim), slice(delta, from * dim, count * dim),
                    st.get("A").floats(), slice(b, from * n, count * n), slice(c, from * n, count * n), st.get("D").floats(),
                    slice(z, from * dim, count * dim), st.get("delta_bias").floats(), true, state, out);
        }
    }

    private static float[] slice(float[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    private static void selectiveScan(SafeTensors st, String kernel, Path file) {
        int batch = st.get("u").dim(0);
        for (int bi = 0; bi < batch; bi++) {
            ScanInputs in = ScanInputs.of(st, bi);
            SelectiveScanKernel k = SelectiveScanKernels.create(kernel);
            float[] state = new float[in.dim * in.n];
            float[] out = new float[in.len * in.dim];
            in.run(k, st, 0, in.len, state, out);
            int dl = in.dim * in.len;
            assertAllClose(file.getFileName() + " y[b=" + bi + "]", st.get("y").floats(), bi * dl, transpose(out, 0, in.len, in.dim), 0, dl);
            int dn = in.dim * in.n;
            assertAllClose(file.getFileName() + " last_state[b=" + bi + "]", st.get("last_state").floats(), bi * dn, state, 0, dn);
            if (st.has("states")) {
                float[] s = new float[dn];
                float[] o = new float[in.dim];
                for (int t = 0; t < in.len; t++) {
                    in.run(k, st, t, 1, s, o);
                    assertAllClose(file.getFileName() + " states[b=" + bi + ",t=" + t + "]", st.get("states").floats(),
                            (bi * in.len + t) * dn, s, 0, dn);
                }
            }
        }
    }

    private static void streaming(SafeTensors st, String kernel, Path file) {
        int batch = st.get("u").dim(0);
        long[] starts = st.get("chunk_starts").longs();
        long[] lens = st.get("chunk_lengths").longs();
        for (int bi = 0; bi < batch; bi++) {
            ScanInputs in = ScanInputs.of(st, bi);
            SelectiveScanKernel k = SelectiveScanKernels.create(kernel);
            int dn = in.dim * in.n;
            float[] state = new float[dn];
            float[] out = new float[in.len * in.dim];
            for (int ci = 0; ci < starts.length; ci++) {
                int from = (int) starts[ci];
                int count = (int) lens[ci];
                float[] o = new float[count * in.dim];
                in.run(k, st, from, count, state, o);
                System.arraycopy(o, 0, out, from * in.dim, o.length);
                assertAllClose(file.getFileName() + " state_after_chunk[" + ci + ",b=" + bi + "]", st.get("state_after_chunk").floats(),
                        (ci * batch + bi) * dn, state, 0, dn);
            }
            int dl = in.dim * in.len;
            assertAllClose(file.getFileName() + " y[b=" + bi + "]", st.get("y").floats(), bi * dl, transpose(out, 0, in.len, in.dim), 0, dl);
            assertAllClose(file.getFileName() + " last_state[b=" + bi + "]", st.get("last_state").floats(), bi * dn, state, 0, dn);
        }
    }

    private static void block(SafeTensors st, String kernel, Path file) {
        MambaWeights w = MambaWeights.from(st, "");
        MambaBlock block = new MambaBlock(w, SelectiveScanKernels.create(kernel));
        Tensor x = st.get("x");
        int batch = x.dim(0);
        int len = x.dim(1);
        int dm = x.dim(2);
        int e = w.dInner;
        int n = w.dState;
        int k = w.dConv;
        String f = file.getFileName().toString();
        for (int bi = 0; bi < batch; bi++) {
            MambaState s = block.newState();
            float[] y = new float[len * dm];
            block.forward(slice(x.floats(), bi * len * dm, len * dm), len, s, y);
            assertAllClose(f + " y[b=" + bi + "]", st.get("y").floats(), bi * len * dm, y, 0, len * dm);
            assertAllClose(f + " final_conv_state[b=" + bi + "]", st.get("final_conv_state").floats(), bi * e * k, s.conv, 0, e * k);
            assertAllClose(f + " final_ssm_state[b=" + bi + "]", st.get("final_ssm_state").floats(), bi * e * n, s.ssm, 0, e * n);
            MambaBlock.Trace tr = block.trace(len);
            assertAllClose(f + " debug.xz[b=" + bi + "]", st.get("debug.xz").floats(), bi * 2 * e * len, transpose(tr.xz(), 0, len, 2 * e), 0, 2 * e * len);
            assertAllClose(f + " debug.u[b=" + bi + "]", st.get("debug.u").floats(), bi * e * len, transpose(tr.u(), 0, len, e), 0, e * len);
            assertAllClose(f + " debug.delta[b=" + bi + "]", st.get("debug.delta").floats(), bi * e * len, transpose(tr.delta(), 0, len, e), 0, e * len);
            assertAllClose(f + " debug.B[b=" + bi + "]", st.get("debug.B").floats(), bi * n * len, transpose(tr.b(), 0, len, n), 0, n * len);
            assertAllClose(f + " debug.C[b=" + bi + "]", st.get("debug.C").floats(), bi * n * len, transpose(tr.c(), 0, len, n), 0, n * len);
            assertAllClose(f + " debug.scan_out[b=" + bi + "]", st.get("debug.scan_out").floats(), bi * e * len,
                    transpose(tr.scanOut(), 0, len, e), 0, e * len);
        }
        int steps = st.get("step_y").dim(0);
        for (int bi = 0; bi < batch; bi++) {
            MambaState s = block.newState();
            float[] y = new float[dm];
            for (int t = 0; t < steps; t++) {
                block.step(slice(x.floats(), (bi * len + t) * dm, dm), s, y);
                assertAllClose(f + " step_y[t=" + t + ",b=" + bi + "]", st.get("step_y").floats(), (t * batch + bi) * dm, y, 0, dm);
                assertAllClose(f + " step_conv_state[t=" + t + ",b=" + bi + "]", st.get("step_conv_state").floats(), (t * batch + bi) * e * k, s.conv, 0, e * k);
                assertAllClose(f + " step_ssm_state[t=" + t + ",b=" + bi + "]", st.get("step_ssm_state").floats(), (t * batch + bi) * e * n, s.ssm, 0, e * n);
            }
        }
    }

    private static void spatiotemporal(SafeTensors st, String kernel, Path file) {
        MambaWeights w = MambaWeights.from(st, "");
        MambaBlock block = new MambaBlock(w, SelectiveScanKernels.create(kernel));
        Tensor xf = st.get("x_frames");          // [B][T][H][W][d_model]
        int batch = xf.dim(0);
        int frames = xf.dim(1);
        int h = xf.dim(2);
        int wd = xf.dim(3);
        int dm = xf.dim(4);
        int tokens = h * wd;
        int e = w.dInner;
        int k = w.dConv;
        int n = w.dState;
        String f = file.getFileName().toString();
        // the spatiotemporal plan's carried direction gives the token order within a frame
        int[] order = ScanPaths.create("spatiotemporal", h, wd).directions().get(0).order();
        for (int b = 0; b < batch; b++) {
            MambaState s = block.newState();
            float[] seq = new float[tokens * dm];
            float[] y = new float[tokens * dm];
            float[] yGrid = new float[tokens * dm];
            for (int t = 0; t < frames; t++) {
                int frame = (b * frames + t) * tokens * dm;
                for (int i = 0; i < tokens; i++) System.arraycopy(xf.floats(), frame + order[i] * dm, seq, i * dm, dm);
                block.forward(seq, tokens, s, y);
                for (int i = 0; i < tokens; i++) System.arraycopy(y, i * dm, yGrid, order[i] * dm, dm);
                assertAllClose(f + " y_frames[b=" + b + ",t=" + t + "]", st.get("y_frames").floats(), frame, yGrid, 0, tokens * dm);
                // the states are [frames][batch][...]
                assertAllClose(f + " conv_state_after_frame[t=" + t + ",b=" + b + "]", st.get("conv_state_after_frame").floats(),
                        (t * batch + b) * e * k, s.conv, 0, e * k);
                assertAllClose(f + " ssm_state_after_frame[t=" + t + ",b=" + b + "]", st.get("ssm_state_after_frame").floats(),
                        (t * batch + b) * e * n, s.ssm, 0, e * n);
            }
            Tensor xs = st.get("x_seq");            // [B][T·H·W][d_model]
            int len = xs.dim(1);
            assertTrue(len == frames * tokens, f + ": x_seq has " + len + " tokens, x_frames " + frames * tokens);
            float[] ys = new float[len * dm];
            block.forward(slice(xs.floats(), b * len * dm, len * dm), len, block.newState(), ys);
            assertAllClose(f + " y_seq[b=" + b + "]", st.get("y_seq").floats(), b * len * dm, ys, 0, len * dm);
        }
    }

    /**
     * The spatiotemporal file with its one stream repeated as a batch of two, in the layouts the README states (inputs and
     * outputs [B][T]..., states [T][B]...): every batch element must be read at its own offsets. Reading the states as if
     * the batch were 1 (frame t at t, not t·B + b) compares the wrong frames and fails here.
     */
    @org.junit.jupiter.api.Test
    void aBatchOfTwoIsReadInTheFilesLayouts(@org.junit.jupiter.api.io.TempDir Path tmp) {
        SafeTensors one = SafeTensors.read(goldenDir().resolve("spatiotemporal.safetensors"));
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : one.tensors().values()) {
            String name = t.name();
            if (name.equals("x_frames") || name.equals("y_frames") || name.equals("x_seq") || name.equals("y_seq")) {
                out.add(Tensor.f32(name, withDim(t.shape(), 0, 2), repeat(t.floats(), 1, t.floats().length)));
            } else if (name.endsWith("_after_frame")) {
                int per = t.floats().length / t.dim(0);  // one frame's state of the one stream
                out.add(Tensor.f32(name, withDim(t.shape(), 1, 2), repeat(t.floats(), t.dim(0), per)));
            } else {
                out.add(t);
            }
        }
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(one.metadata());
        meta.put("batch", "2");
        Path f = tmp.resolve("spatiotemporal-batch2.safetensors");
        SafeTensors.write(f, out, meta);
        check(f, "scalar");
        meta.put("order", "column-major");
        Path odd = tmp.resolve("spatiotemporal-odd.safetensors");
        SafeTensors.write(odd, out, meta);
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> check(odd, "scalar"));
        assertTrue(e.getMessage().contains("token order 'column-major'"), e.getMessage());
    }

    private static long[] withDim(long[] shape, int axis, long v) {
        long[] s = shape.clone();
        s[axis] = v;
        return s;
    }

    /** Each of {@code blocks} consecutive blocks of {@code per} values written twice in a row. */
    private static float[] repeat(float[] a, int blocks, int per) {
        float[] o = new float[a.length * 2];
        for (int i = 0; i < blocks; i++) {
            System.arraycopy(a, i * per, o, 2 * i * per, per);
            System.arraycopy(a, i * per, o, (2 * i + 1) * per, per);
        }
        return o;
    }

    /**
     * The scan files' channels tiled until they fill whole vectors and leave a tail (channels do not interact, so every
     * copy must reproduce the golden output): with 8-channel files and 16 lanes, the vector kernel would otherwise run
     * only its scalar tail on them.
     */
    @TestFactory
    Stream<DynamicTest> scanFilesThroughFullVectorLanes() throws IOException {
        int lanes = VectorMath.F.length();
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : List.of("scan_small.safetensors", "scan_medium.safetensors")) {
            Path f = goldenDir().resolve(name);
            tests.add(DynamicTest.dynamicTest(name + " tiled over " + lanes + " lanes", () -> tiled(f, lanes)));
        }
        return tests.stream();
    }

    private static void tiled(Path file, int lanes) {
        SafeTensors st = SafeTensors.read(file);
        checkLayout(file, st);
        int batch = st.get("u").dim(0);
        for (int bi = 0; bi < batch; bi++) {
            ScanInputs in = ScanInputs.of(st, bi);
            int d = in.dim;
            int reps = 2 * lanes / d + 2;             // at least two full vectors, and a tail when d does not divide lanes
            int dt = d * reps;
            float[] u = tile(in.u, in.len, d, reps);   // [L][dt]
            float[] delta = tile(in.delta, in.len, d, reps);
            float[] z = tile(in.z, in.len, d, reps);
            float[] a = tile(st.get("A").floats(), d, in.n, reps, true);
            float[] dSkip = tile(st.get("D").floats(), 1, d, reps);
            float[] bias = tile(st.get("delta_bias").floats(), 1, d, reps);
            float[] state = new float[dt * in.n];
            float[] out = new float[in.len * dt];
            SelectiveScanKernel k = SelectiveScanKernels.create("vector");
            assertTrue(k.name().equals("vector") && dt >= 2 * lanes, "the vector kernel over " + dt + " channels");
            k.scan(dt, in.n, in.len, u, delta, a, in.b, in.c, dSkip, z, bias, true, state, out);
            int dl = d * in.len;
            int dn = d * in.n;
            for (int r = 0; r < reps; r++) {
                float[] y = new float[in.len * d];
                for (int t = 0; t < in.len; t++) System.arraycopy(out, t * dt + r * d, y, t * d, d);
                assertAllClose(file.getFileName() + " y[b=" + bi + "] copy " + r + " of " + reps, st.get("y").floats(), bi * dl,
                        transpose(y, 0, in.len, d), 0, dl);
                assertAllClose(file.getFileName() + " last_state[b=" + bi + "] copy " + r, st.get("last_state").floats(), bi * dn,
                        state, r * dn, dn);
            }
        }
    }

    /** [rows][d] -> [rows][d·reps], each row's d values repeated reps times. */
    private static float[] tile(float[] a, int rows, int d, int reps) {
        float[] o = new float[rows * d * reps];
        for (int t = 0; t < rows; t++) for (int r = 0; r < reps; r++) System.arraycopy(a, t * d, o, (t * reps + r) * d, d);
        return o;
    }

    /** [d][n] -> [d·reps][n], the d rows repeated reps times. */
    private static float[] tile(float[] a, int d, int n, int reps, boolean rowsOfN) {
        float[] o = new float[d * reps * n];
        for (int r = 0; r < reps; r++) System.arraycopy(a, 0, o, r * d * n, d * n);
        return o;
    }
}
