package io.vigil.deploy.bench;

import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The linear-time claim, measured: one fixed model (d_model 96, d_state 16, expand 2, 2 layers, a 14 x 14 grid =
 * 196 tokens, random fixture weights) stepped per frame from the stream's state, against (a) the clip baseline that
 * re-runs the SAME model and kernel from a zero state over the last W frames every frame, and (b) softmax attention
 * of the current frame's 196 tokens over all tokens of the last W frames ({@link AttentionBaseline}).
 */
public final class StreamingBench {
    public static final SpatiotemporalConfig MODEL = new SpatiotemporalConfig(3, 112, 112, 8, 96, 16, 4, 2, 2, "spatiotemporal", 2, 2);

    private StreamingBench() {}

    /** CSV rows: method, history/window frames, ms per frame, ratio to the streaming step at frame 10. */
    public static List<String> run(int[] histories, int[] clipWindows, int[] attentionWindows, String kernel) {
        SpatiotemporalModel model = SpatiotemporalModel.random(MODEL, 1, kernel);
        Random r = new Random(2);
        float[][] frames = new float[16][3 * 112 * 112];
        for (float[] f : frames) for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
        float[] out = new float[96];
        List<String> rows = new ArrayList<>();
        rows.add("method,frames,ms_per_frame,ratio_to_streaming_at_10");
        StreamState state = model.newState();
        int[] seen = {0};
        double base = -1;
        List<double[]> streaming = new ArrayList<>();
        for (int h : histories) {
            while (seen[0] < h) model.step(frames[seen[0]++ & 15], state, out);
            double ms = Timer.medianMs(() -> model.step(frames[seen[0]++ & 15], state, out), 5, 21);
            streaming.add(new double[] {h, ms});
            if (h == 10) base = ms;
        }
        if (base < 0) base = streaming.get(0)[1];
        for (double[] s : streaming) rows.add(String.format(Locale.ROOT, "streaming step,%d,%.3f,%.2f", (long) s[0], s[1], s[1] / base));
        for (int w : clipWindows) {
            double ms = Timer.medianMs(() -> {
                StreamState fresh = model.newState();
                for (int i = 0; i < w; i++) model.step(frames[i & 15], fresh, out);
            }, 1, w >= 100 ? 3 : 5);
            rows.add(String.format(Locale.ROOT, "clip re-run,%d,%.3f,%.2f", w, ms, ms / base));
        }
        for (int w : attentionWindows) {
            AttentionBaseline att = new AttentionBaseline(196, 96, w, 3);
            double ms = Timer.medianMs(att::frame, 1, w >= 500 ? 3 : 5);
            rows.add(String.format(Locale.ROOT, "attention,%d,%.3f,%.2f", w, ms, ms / base));
        }
        return rows;
    }
}
