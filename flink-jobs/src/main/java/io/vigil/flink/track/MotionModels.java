package io.vigil.flink.track;

import io.vigil.models.bundle.ModelLocator;
import io.vigil.spatiotemporal.model.MotionModel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tracker's selective-scan motion model ({@code track.motion: ssm}) comes from. */
public final class MotionModels {
    /** The motion model trained and committed in the project, {@code models/trained/motion-mamba}. */
    public static final String DEFAULT = "motion-mamba";

    private MotionModels() {}

    /**
     * @param nameOrPath a model directory (its model.safetensors), a .safetensors file, the name of a trained model under
     *                   models/trained, or null / blank for {@link #DEFAULT}
     * @throws IllegalArgumentException naming what was looked for
     */
    public static Path resolve(String nameOrPath) {
        String s = nameOrPath == null || nameOrPath.isBlank() ? DEFAULT : nameOrPath;
        Path p = Path.of(s);
        if (!Files.exists(p)) p = ModelLocator.trained(s).orElse(p);
        if (Files.isDirectory(p)) p = p.resolve("model.safetensors");
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("track.motionModel: '" + s + "' is neither a .safetensors file, a model directory, nor a trained model"
                    + " under models/trained (looked for " + p.toAbsolutePath() + ")");
        }
        return p.toAbsolutePath().normalize();
    }

    public static MotionModel load(String nameOrPath) {
        return MotionModel.load(resolve(nameOrPath), null);
    }
}
