package io.vigil.flink.action;

import io.vigil.models.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Recognises Vigil's trained trajectory models (safetensors) among action model paths, and names them. */
public final class TrajectoryModels {
    private TrajectoryModels() {}

    /** The weights file when {@code path} is one (.safetensors) or a folder holding model.safetensors. */
    public static Optional<Path> weightsOf(Path path) {
        if (Files.isRegularFile(path) && path.toString().endsWith(".safetensors")) return Optional.of(path);
        Path inDir = path.resolve("model.safetensors");
        return Files.isDirectory(path) && Files.isRegularFile(inDir) ? Optional.of(inDir) : Optional.empty();
    }

    /** {@code <folder or file name>@sha256:<12 hex>}, as the other models are named in events. */
    public static String modelId(Path weights) {
        String name = weights.getFileName().toString().equals("model.safetensors") && weights.getParent() != null
                ? weights.getParent().getFileName().toString() : weights.getFileName().toString().replace(".safetensors", "");
        return name + "@sha256:" + ModelBundle.sha256(weights).substring(0, 12);
    }
}
