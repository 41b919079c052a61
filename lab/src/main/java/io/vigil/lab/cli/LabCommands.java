package io.vigil.lab.cli;

import io.vigil.deploy.cli.CliExtension;
import java.util.List;

/** {@code vigil bench}, {@code vigil soak} and {@code vigil train}: what measures and trains Vigil, added to the same CLI. */
public final class LabCommands implements CliExtension {
    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand(), new SoakCommand(), new TrainCommand());
    }
}
