package io.vigil.deploy.cli;

import io.vigil.deploy.bench.TrajectoryBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "trajectory", description = {"The cost of one track update: the streaming trajectory model's step (Java, and its",
        "ONNX export) against the upstream LSTM re-run over the track's 16-point window through ONNX Runtime. One thread."})
final class BenchTrajectory implements Callable<Integer> {
    @Option(names = "--model", description = "trained trajectory model folder (default models/trained/trajectory-mamba)")
    Path model;

    @Option(names = "--tracks", split = ",", defaultValue = "1,64", description = "tracks updated per call (default ${DEFAULT-VALUE})")
    int[] tracks;

    @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per row (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--csv", description = "also write the table as CSV here")
    Path csv;

    @Override
    public Integer call() throws Exception {
        Path dir = model != null ? model : Path.of(System.getProperty("vigil.home", ".")).resolve("models/trained/trajectory-mamba");
        BenchCommand.report(TrajectoryBench.run(dir, tracks, seconds), csv);
        return 0;
    }
}
