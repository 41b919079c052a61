package io.vigil.deploy.cli;

import io.vigil.models.bundle.ModelCache;
import io.vigil.models.bundle.ModelCatalogue;
import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelLocator;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", description = "The model catalogue: list the known models, pull one into the local cache.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Pull.class})
final class ModelsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "list", description = "List the catalogue: name, kind, licence, and where a copy is on this machine.")
    static final class ListModels implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.printf("%-28s %-9s %-13s %s%n", "NAME", "KIND", "LICENSE", "AVAILABLE AT");
            for (ModelDescriptor d : ModelCatalogue.all()) {
                Optional<Path> p = ModelLocator.byName(d.name());
                System.out.printf("%-28s %-9s %-13s %s%n", d.name(), d.kind(), d.license(),
                        p.map(Path::toString).orElse("not here: vigil models pull " + d.name()));
            }
            System.out.println("cache: " + ModelCache.dir());
            return 0;
        }
    }

    @Command(name = "pull", description = "Download a catalogue model into the cache and verify its sha256.")
    static final class Pull implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "catalogue name (see `vigil models list`)")
        String name;

        @Option(names = "--from", description = "download from this URL (a mirror) instead of the recorded source")
        String from;

        @Override
        public Integer call() {
            Path f = ModelCache.pull(name, from == null ? null : URI.create(from));
            System.out.println("pulled " + name + " into " + f + " (sha256 verified)");
            return 0;
        }
    }
}
