package io.vigil.models;

import io.vigil.video.image.BgrImage;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths the build hands to tests; missing data FAILS the test with a message, never skips it. */
public final class TestData {
    private TestData() {}

    public static Path shared() {
        String p = System.getProperty("vigil.shared");
        if (p == null) throw new IllegalStateException("system property vigil.shared is not set (the build sets it to ../shared)");
        Path dir = Path.of(p);
        if (!Files.isDirectory(dir.resolve("models"))) throw new IllegalStateException("shared models folder missing: " + dir.resolve("models"));
        return dir;
    }

    public static Path model(String name) {
        Path p = shared().resolve("models").resolve(name);
        if (!Files.isDirectory(p)) throw new IllegalStateException("model folder missing: " + p);
        return p;
    }

    /** Frame {@code index} (0-based) of vtest.avi, decoded by FFmpeg. */
    public static BgrImage vtestFrame(int index) {
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; i <= index; i++) {
                if (!src.next()) throw new IllegalStateException("vtest.avi ended before frame " + index);
            }
            return src.copyBgr();
        }
    }
}
