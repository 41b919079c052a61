package io.vigil.deploy.demo;

import io.vigil.video.source.SampleMedia;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the sample video into the media cache: Debian's opencv-doc package ships it, so this runs the
 * project's fetch-media.sh (apt-get download + extract the one file). Needs apt-get and the package lists.
 */
public final class MediaFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(MediaFetcher.class);

    private MediaFetcher() {}

    /** The cached file, fetching it when absent; empty (with the reason logged) when that fails. */
    public static Optional<Path> ensure(String name) {
        Path p = SampleMedia.path(name);
        if (Files.isRegularFile(p)) return Optional.of(p);
        LOG.info("fetching {} from Debian's opencv-doc package into {} (about 96 MB download, once)", name, SampleMedia.cacheDir());
        try (InputStream in = MediaFetcher.class.getResourceAsStream("/io/vigil/deploy/fetch-media.sh")) {
            Path script = Files.createTempFile("vigil-fetch-media", ".sh");
            try {
                Files.write(script, in.readAllBytes());
                Process proc = new ProcessBuilder("bash", script.toString(), SampleMedia.cacheDir().toString(), name)
                        .redirectErrorStream(true).start();
                String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!proc.waitFor(10, TimeUnit.MINUTES)) {
                    proc.destroyForcibly();
                    LOG.warn("fetching {} timed out", name);
                    return Optional.empty();
                }
                if (proc.exitValue() != 0 || !Files.isRegularFile(p)) {
                    LOG.warn("could not fetch {}: {}", name, output.isEmpty() ? "exit " + proc.exitValue() : output);
                    return Optional.empty();
                }
                return Optional.of(p);
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            LOG.warn("could not fetch {}: {}", name, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
