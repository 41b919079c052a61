package io.vigil.lab.bench;

import io.vigil.models.action.RecurrentActionModel;
import io.vigil.models.action.WindowedActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.models.export.TrajectoryExport;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.TrajectoryModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code vigil bench trajectory}: the cost of one track update, the streaming trajectory model's step (Java, and its
 * ONNX export) against the upstream LSTM re-run over the track's 16-point window through ONNX Runtime. One thread.
 */
public final class TrajectoryBench {
    private TrajectoryBench() {}

    /**
     * @param dir     a trained trajectory model folder
     * @param tracks  tracks updated per call, one row set each
     * @param seconds measured seconds per row
     * @return CSV rows, the header first
     */
    public static List<String> run(Path dir, int[] tracks, double seconds) throws Exception {
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) throw new IllegalArgumentException("no trained trajectory model at " + dir);
        Path lstmFile = ModelLocator.byName("gesture-point-history-lstm").orElseThrow(
                () -> new IllegalStateException("the upstream LSTM is not on this machine: vigil models pull gesture-point-history-lstm"));
        Path onnxDir = Files.createTempDirectory("trajectory-onnx");
        TrajectoryExport.write(weights, "trajectory-mamba", onnxDir);
        TrajectoryModel java = TrajectoryModel.load(weights, null);
        Random rnd = new Random(1);
        List<String> rows = new ArrayList<>(List.of("method,tracks per call,us per track update,track updates/s"));
        try (WindowedActionModel lstm = WindowedActionModel.open(ModelBundle.load(lstmFile), ExecutionProvider.CPU, 1);
             RecurrentActionModel onnx = RecurrentActionModel.open(ModelBundle.load(onnxDir), ExecutionProvider.CPU, 1)) {
            for (int n : tracks) {
                StreamState[] states = new StreamState[n];
                for (int i = 0; i < n; i++) states[i] = java.newState();
                float[] scores = new float[java.classes()];
                float[] disp = new float[2 * 1024];
                for (int i = 0; i < disp.length; i++) disp[i] = (float) (rnd.nextGaussian() * 0.01);
                double us = measure(() -> {
                    for (int i = 0; i < n; i++) {
                        int k = (int) (states[i].frames() % 1024);
                        java.step(disp[2 * k], disp[2 * k + 1], states[i], scores);
                    }
                }, n, seconds);
                rows.add(row("trajectory-mamba step (Java)", n, us));

                float[][][] ostates = new float[n][][];
                for (int i = 0; i < n; i++) ostates[i] = onnx.newState();
                float[][] in = new float[n][2];
                for (float[] x : in) { x[0] = 0.01f; x[1] = -0.005f; }
                rows.add(row("trajectory-mamba step (ONNX export)", n, measure(() -> onnx.step(in, ostates), n, seconds)));

                float[][] windows = new float[n][32];
                for (float[] w : windows) for (int i = 2; i < 32; i++) w[i] = (float) (rnd.nextGaussian() * 0.02);
                rows.add(row("upstream LSTM over the 16-point window (ONNX)", n, measure(() -> lstm.classify(windows, 0f), n, seconds)));
            }
        }
        return rows;
    }

    private static String row(String method, int n, double us) {
        return String.format(Locale.ROOT, "%s,%d,%.2f,%.0f", method, n, us, 1e6 / us);
    }

    /** Microseconds per track update of {@code call} (which updates {@code n} tracks), after a warm-up. */
    private static double measure(Runnable call, int n, double seconds) {
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) call.run();
        long calls = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (now - t0) / 1e3 / (calls * (double) n);
    }
}
