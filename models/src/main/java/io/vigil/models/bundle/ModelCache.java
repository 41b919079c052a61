package io.vigil.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Downloaded copies of the catalogue's models: {@code VIGIL_MODEL_CACHE}, else {@code ~/.cache/vigil/models},
 * one directory per model holding the file, its labels and where it came from. A download is kept only when its
 * sha256 is the catalogue's.
 */
public final class ModelCache {
    private ModelCache() {}

    public static Path dir() {
        String env = System.getenv("VIGIL_MODEL_CACHE");
        String prop = System.getProperty("vigil.model.cache");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "vigil", "models");
    }

    /** The cached model file of a catalogue entry, if present. */
    public static Optional<Path> find(ModelDescriptor d) {
        Path f = dir().resolve(d.name()).resolve(d.file());
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /**
     * Downloads a catalogue model into the cache and verifies it.
     *
     * @param from where to download from instead of the catalogue's source URL (a mirror); null for the source
     * @return the model file in the cache
     * @throws ModelException when the name is unknown, the network cannot be reached, or the sha256 differs
     */
    public static Path pull(String name, URI from) {
        ModelDescriptor d = ModelCatalogue.byName(name).orElseThrow(() -> new ModelException("no model '" + name
                + "' in the catalogue; known: " + ModelCatalogue.all().stream().map(ModelDescriptor::name).toList()));
        URI uri = from != null ? from : URI.create(d.source());
        Path target = dir().resolve(d.name());
        Path file = target.resolve(d.file());
        Path part = target.resolve(d.file() + ".part");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            Files.createDirectories(target);
            HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new ModelException("download of " + d.name() + " from " + uri + " failed: HTTP " + resp.statusCode());
            }
            try (InputStream in = resp.body()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            String sha = ModelBundle.sha256(part);
            if (!sha.equalsIgnoreCase(d.sha256())) {
                Files.deleteIfExists(part);
                throw new ModelException("download of " + d.name() + " from " + uri + " rejected: sha256 " + sha
                        + " is not the catalogue's " + d.sha256() + " (corrupt or different file); nothing was kept");
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (d.labels() != null) {
                List<String> labels = ModelCatalogue.bundledLabels(d).orElse(List.of());
                Files.writeString(target.resolve(d.labels()), String.join("\n", labels) + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(target.resolve("SOURCE.txt"), "name: " + d.name() + "\nsource: " + d.source() + "\ndownloaded from: " + uri
                    + "\nsha256: " + d.sha256() + "\nlicense: " + d.license() + "\n");
            return file;
        } catch (ConnectException | UnknownHostException | HttpConnectTimeoutException e) {
            throw new ModelException("cannot reach " + uri.getHost() + " to download " + d.name() + " (no network here?): " + e
                    + ". Copy the model files yourself and pass --model DIR", e);
        } catch (HttpTimeoutException e) {
            throw new ModelException("download of " + d.name() + " from " + uri + " timed out; pass --model DIR with a local copy", e);
        } catch (IOException e) {
            throw new ModelException("download of " + d.name() + " from " + uri + " failed: " + e
                    + ". Copy the model files yourself and pass --model DIR", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException("download of " + d.name() + " interrupted", e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a stale .part is overwritten next time
            }
        }
    }
}
