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

    private static void check(Path file, String kernel) {
        SafeTensors st = SafeTensors.read(file);
        String kase = st.metadata().get("case");
        switch (kase == null ? "" : kase) {
            case "selective_scan" -> selectiveScan(st, kernel, file);
            case "selective_scan_streaming" -> streaming(st, kernel, file);
            case "mamba_block" -> block(st, kernel, file);
            case "mamba_block_spatiotemporal" -> spatiotemporal(st, kernel, file);
            default -> fail(file + ": unknown case '" + kase + "'");
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
        Tensor xf = st.get("x_frames");
        int frames = xf.dim(1);
        int h = xf.dim(2);
        int wd = xf.dim(3);
        int dm = xf.dim(4);
        int tokens = h * wd;
        int e = w.dInner;
        String f = file.getFileName().toString();
        // the spatiotemporal plan's carried direction gives the token order within a frame
        int[] order = ScanPaths.create("spatiotemporal", h, wd).directions().get(0).order();
        MambaState s = block.newState();
        float[] seq = new float[tokens * dm];
        float[] y = new float[tokens * dm];
        float[] yGrid = new float[tokens * dm];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < tokens; i++) System.arraycopy(xf.floats(), (t * tokens + order[i]) * dm, seq, i * dm, dm);
            block.forward(seq, tokens, s, y);
            for (int i = 0; i < tokens; i++) System.arraycopy(y, i * dm, yGrid, order[i] * dm, dm);
            assertAllClose(f + " y_frames[t=" + t + "]", st.get("y_frames").floats(), t * tokens * dm, yGrid, 0, tokens * dm);
            assertAllClose(f + " conv_state_after_frame[" + t + "]", st.get("conv_state_after_frame").floats(), t * e * w.dConv, s.conv, 0, e * w.dConv);
            assertAllClose(f + " ssm_state_after_frame[" + t + "]", st.get("ssm_state_after_frame").floats(), t * e * w.dState, s.ssm, 0, e * w.dState);
        }
        Tensor xs = st.get("x_seq");
        int len = xs.dim(1);
        float[] ys = new float[len * dm];
        block.forward(xs.floats(), len, block.newState(), ys);
        assertAllClose(f + " y_seq", st.get("y_seq").floats(), ys);
        assertTrue(len == frames * tokens);
    }
}
