package io.vigil.lab.cli;

import io.vigil.lab.bench.MotionBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "motion", description = {"The cost of one track update with each motion predictor: the selective-scan model's",
        "streaming step against the tracker's Kalman filter. One thread."})
final class BenchMotion implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model.safetensors written by vigil train motion")
    Path model;

    @picocli.CommandLine.Mixin
    TrackBenchOptions bench;

    @Override
    public Integer call() throws Exception {
        BenchCommand.report(MotionBench.run(model, bench.tracks, bench.seconds), bench.csv);
        return 0;
    }
}
