package io.vigil.lab.cli;

import io.vigil.lab.bench.TrajectoryBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "trajectory", description = {"The cost of one track update: the streaming trajectory model's step (Java, and its",
        "ONNX export) against the upstream LSTM re-run over the track's 16-point window through ONNX Runtime. One thread."})
final class BenchTrajectory implements Callable<Integer> {
    @Option(names = "--model", description = "trained trajectory model folder (default models/trained/trajectory-mamba)")
    Path model;

    @picocli.CommandLine.Mixin
    TrackBenchOptions bench;

    @Override
    public Integer call() throws Exception {
        Path dir = model != null ? model : Path.of(System.getProperty("vigil.home", ".")).resolve("models/trained/trajectory-mamba");
        BenchCommand.report(TrajectoryBench.run(dir, bench.tracks, bench.seconds), bench.csv);
        return 0;
    }
}
