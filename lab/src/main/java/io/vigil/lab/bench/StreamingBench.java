package io.vigil.lab.bench;

import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The linear-time claim, measured: one fixed model (d_model 96, d_state 16, expand 2, 2 layers, a 14 x 14 grid =
 * 196 tokens, random fixture weights) stepped per frame from the stream's state, against (a) a clip model: the SAME
 * model and kernel re-run from a zero state over a window of W frames, either every frame (stride 1) or once per W
 * frames (stride W: the streaming step's cost per frame, but an output only every W frames, each up to W - 1 frames
 * late), and (b) attention over the last W frames' tokens: joint space-time attention with the plain kernel and with a
 * tiled one ({@link AttentionBaseline}), and divided space-time attention ({@link FactorisedAttention}). The attention
 * rows count the attention alone (no projections, one layer), which flatters them next to the whole 2-layer model.
 * The streaming rows are measured after a full warm-up, each step from a saved state of exactly its history, with the
 * histories interleaved round by round: a ratio between rows is about history, not about JIT or drift.
 */
public final class StreamingBench {
    public static final SpatiotemporalConfig MODEL = new SpatiotemporalConfig(3, 112, 112, 8, 96, 16, 4, 2, 2, "spatiotemporal", 2, 2);

    /** Steps before the first measurement, enough for C2 to have compiled the step. */
    static final int WARMUP_STEPS = 300;
    /** Warm-up time of each baseline kernel before it is measured. */
    static final long WARMUP_MS = 1000;
    /** Interleaved rounds; the median of each history's rounds is its row. */
    static final int ROUNDS = 31;

    private StreamingBench() {}

    /** CSV rows: method, history/window frames, ms per frame, ratio to the streaming step at frame 10. */
    public static List<String> run(int[] histories, int[] clipWindows, int[] attentionWindows, String kernel) {
        SpatiotemporalModel model = SpatiotemporalModel.random(MODEL, 1, kernel);
        Random r = new Random(2);
        float[][] frames = new float[16][3 * 112 * 112];
        for (float[] f : frames) for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
        float[] out = new float[96];
        List<String> rows = new ArrayList<>();
        rows.add("method,frames,ms_per_frame,ratio_to_streaming_at_10,frames_to_first_output,ms_per_output");
        // warm-up first, on a stream of its own, so that no measured row pays for the JIT
        StreamState warm = model.newState();
        for (int i = 0; i < WARMUP_STEPS; i++) model.step(frames[i & 15], warm, out);
        // one stream per history, each stepped to its history once; every measured step starts from that saved state
        StreamState[] saved = new StreamState[histories.length];
        for (int k = 0; k < histories.length; k++) {
            StreamState st = model.newState();
            for (int i = 0; i < histories[k]; i++) model.step(frames[i & 15], st, out);
            saved[k] = st;
        }
        // rounds interleave the histories, so drift (clock, JIT, the machine) spreads over all rows alike
        double[][] t = new double[histories.length][ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < histories.length; k++) {
                StreamState st = saved[k].copy();
                int h = histories[k];
                long t0 = System.nanoTime();
                model.step(frames[h & 15], st, out);
                t[k][round] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double base = -1;
        List<double[]> streaming = new ArrayList<>();
        for (int k = 0; k < histories.length; k++) {
            double[] v = t[k].clone();
            java.util.Arrays.sort(v);
            double ms = v[ROUNDS / 2];
            streaming.add(new double[] {histories[k], ms});
            if (histories[k] == 10) base = ms;
        }
        if (base < 0) base = streaming.get(0)[1];
        for (double[] s : streaming) rows.add(row("streaming step", (long) s[0], s[1], base, 1, s[1]));
        for (int w : clipWindows) {
            double ms = Timer.medianMsAfter(() -> {
                StreamState fresh = model.newState();
                for (int i = 0; i < w; i++) model.step(frames[i & 15], fresh, out);
            }, WARMUP_MS, w >= 100 ? 3 : 5);
            rows.add(row("clip stride 1", w, ms, base, w, ms));
            rows.add(row("clip stride W", w, ms / w, base, w, ms));
        }
        for (int w : attentionWindows) {
            AttentionBaseline att = new AttentionBaseline(196, 96, w, 3);
            int runs = w >= 500 ? 3 : 5;
            // each kernel warms up for a second of its own: at small W one run is a millisecond, far from compiled
            double plain = Timer.medianMsAfter(att::frame, WARMUP_MS, runs);
            rows.add(row("joint attention", w, plain, base, 1, plain));
            double tiled = Timer.medianMsAfter(att::tiledFrame, WARMUP_MS, runs);
            rows.add(row("joint attention tiled", w, tiled, base, 1, tiled));
            FactorisedAttention f = new FactorisedAttention(196, 96, w, 3);
            double fact = Timer.medianMsAfter(f::frame, WARMUP_MS, Math.max(runs, 7));
            rows.add(row("factorised attention", w, fact, base, 1, fact));
        }
        return rows;
    }

    private static String row(String method, long frames, double msPerFrame, double base, long firstOutput, double msPerOutput) {
        return String.format(Locale.ROOT, "%s,%d,%.3f,%.2f,%d,%.3f", method, frames, msPerFrame, msPerFrame / base, firstOutput, msPerOutput);
    }
}
