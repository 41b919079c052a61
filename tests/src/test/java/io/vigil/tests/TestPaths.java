package io.vigil.tests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared models are; missing data FAILS the test (never skips it). */
public final class TestPaths {
    private TestPaths() {}

    public static Path model(String name) {
        String shared = System.getProperty("vigil.shared");
        if (shared == null) throw new IllegalStateException("system property vigil.shared is not set (the build sets it)");
        Path p = Path.of(shared, "models", name);
        if (!Files.isDirectory(p)) throw new IllegalStateException("model folder missing: " + p);
        return p;
    }
}
