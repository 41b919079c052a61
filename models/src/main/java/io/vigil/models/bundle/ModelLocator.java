package io.vigil.models.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the model to use. {@code --model} may be a directory, an .onnx file, or a catalogue name; without it,
 * {@code VIGIL_MODEL_DIR}; then the default detector by name. A name is looked up in the model cache
 * ({@code vigil models pull}), then in the shared models folder ({@code vigil.shared} system property, or
 * {@code ../shared} beside the checkout).
 */
public final class ModelLocator {
    public static final String DEFAULT_MODEL = "yolox-nano";

    private ModelLocator() {}

    public static Path resolve(String flag) {
        if (flag != null && !flag.isBlank()) {
            Path p = Path.of(flag);
            if (Files.exists(p)) return p;
            Optional<Path> trained = trained(flag);
            if (trained.isPresent()) return trained.get();
            if (ModelCatalogue.byName(flag).isPresent()) {
                return byName(flag).orElseThrow(() -> new ModelException("model '" + flag + "' is in the catalogue but not on this machine: "
                        + "run `vigil models pull " + flag + "`, or pass --model DIR"));
            }
            return p; // ModelBundle.load reports it as not found
        }
        String env = System.getenv("VIGIL_MODEL_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        return byName(DEFAULT_MODEL).orElseThrow(() -> new ModelException("no detector model found: pass --model DIR (a model "
                + "directory or .onnx file), set VIGIL_MODEL_DIR, or run `vigil models pull " + DEFAULT_MODEL + "`; the default "
                + DEFAULT_MODEL + " was looked for in " + ModelCache.dir() + " and " + sharedDir().resolve("models")));
    }

    /** A catalogue model's file: from the cache, else from the shared models folder. */
    public static Optional<Path> byName(String name) {
        Optional<ModelDescriptor> d = ModelCatalogue.byName(name);
        if (d.isEmpty()) return Optional.empty();
        Optional<Path> cached = ModelCache.find(d.get());
        if (cached.isPresent()) return cached;
        Path models = sharedDir().resolve("models");
        if (!Files.isDirectory(models)) return Optional.empty();
        try (Stream<Path> dirs = Files.list(models)) {
            List<Path> hits = dirs.map(dir -> dir.resolve(d.get().file())).filter(Files::isRegularFile).sorted().toList();
            return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A model trained and committed in the project ({@code models/trained/NAME} under {@code vigil.home}, else the
     * working directory), e.g. trajectory-mamba.
     */
    public static Optional<Path> trained(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) return Optional.empty();
        Path home = Path.of(System.getProperty("vigil.home", "."));
        Path p = home.resolve("models").resolve("trained").resolve(name);
        return Files.isDirectory(p) ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
    }

    public static Optional<Path> sharedModel(String name) {
        Path p = sharedDir().resolve("models").resolve(name);
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    public static Path sharedDir() {
        String prop = System.getProperty("vigil.shared");
        return prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "shared");
    }
}
