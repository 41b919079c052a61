package io.vigil.video.source;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the sample media from Debian's opencv-doc package (vtest.avi, messi5.jpg, ...) are cached:
 * the {@code vigil.media} system property, else {@code VIGIL_MEDIA}, else {@code ~/.cache/vigil/media}.
 */
public final class SampleMedia {
    public static final String VTEST = "vtest.avi";

    private SampleMedia() {}

    public static Path cacheDir() {
        String prop = System.getProperty("vigil.media");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("VIGIL_MEDIA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "vigil", "media");
    }

    public static Path path(String name) {
        return cacheDir().resolve(name);
    }

    /** The cached file, or an exception saying how to get it. Tests use this to FAIL, never skip, when media is missing. */
    public static Path require(String name) {
        Path p = path(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("sample media " + p + " is missing: run "
                    + "deploy/src/main/resources/io/vigil/deploy/fetch-media.sh " + cacheDir() + " " + name
                    + " (it extracts the file from Debian's opencv-doc package)");
        }
        return p;
    }
}
