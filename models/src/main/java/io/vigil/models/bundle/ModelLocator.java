package io.vigil.models.bundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the model to use: the {@code --model} flag, else {@code VIGIL_MODEL_DIR}, else the default detector
 * in the shared models folder ({@code vigil.shared} system property, or {@code ../shared} beside the checkout).
 */
public final class ModelLocator {
    public static final String DEFAULT_MODEL = "yolox-nano";

    private ModelLocator() {}

    public static Path resolve(String flag) {
        if (flag != null && !flag.isBlank()) return Path.of(flag);
        String env = System.getenv("VIGIL_MODEL_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        Optional<Path> shared = sharedModel(DEFAULT_MODEL);
        if (shared.isPresent()) return shared.get();
        throw new ModelException("no detector model found: pass --model DIR (a model directory or .onnx file), "
                + "or set VIGIL_MODEL_DIR; the default " + DEFAULT_MODEL + " is looked for in "
                + sharedDir().resolve("models").resolve(DEFAULT_MODEL));
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
