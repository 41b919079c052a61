package io.vigil.deploy.cli;

import io.vigil.deploy.bench.MotionBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "motion", description = {"The cost of one track update with each motion predictor: the selective-scan model's",
        "streaming step against the tracker's Kalman filter. One thread."})
final class BenchMotion implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model.safetensors written by vigil train motion")
    Path model;

    @Option(names = "--tracks", split = ",", defaultValue = "1,64", description = "tracks updated per frame (default ${DEFAULT-VALUE})")
    int[] tracks;

    @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per row (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--csv", description = "also write the table as CSV here")
    Path csv;

    @Override
    public Integer call() throws Exception {
        BenchCommand.report(MotionBench.run(model, tracks, seconds), csv);
        return 0;
    }
}
