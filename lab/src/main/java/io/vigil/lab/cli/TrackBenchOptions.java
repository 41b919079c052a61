package io.vigil.lab.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What the per-track-update benchmarks (trajectory, motion) share: how many tracks, how long, where the CSV goes. */
final class TrackBenchOptions {
    @Option(names = "--tracks", split = ",", defaultValue = "1,64", description = "tracks updated per frame (default ${DEFAULT-VALUE})")
    int[] tracks;

    @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per row (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--csv", description = "also write the table as CSV here")
    Path csv;
}
