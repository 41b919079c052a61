package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The {@link DecoderFactory} plugins this JVM can use: those in the jars of the plugins directory (the
 * {@code vigil.plugins} system property, set by {@code --plugins DIR}, else the {@code VIGIL_PLUGINS} environment
 * variable) and those on the classpath of the calling thread's class loader (a Flink job's user classpath).
 */
public final class DecoderPlugins {
    /** The families Vigil decodes itself. */
    public static final Set<String> BUILT_IN = io.vigil.models.bundle.ModelDescriptors.BUILT_IN_DECODERS;

    private static final Map<String, ClassLoader> DIR_LOADERS = new ConcurrentHashMap<>();

    private DecoderPlugins() {}

    /** The plugins directory configured for this JVM, if any. */
    public static Optional<Path> dir() {
        String p = System.getProperty("vigil.plugins");
        if (p == null || p.isBlank()) p = System.getenv("VIGIL_PLUGINS");
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p).toAbsolutePath().normalize());
    }

    /** Every plugin found now, by type (a type found twice is an error naming both). */
    public static Map<String, DecoderFactory> all() {
        Map<String, DecoderFactory> out = new TreeMap<>();
        List<ClassLoader> loaders = new ArrayList<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        loaders.add(context != null ? context : DecoderPlugins.class.getClassLoader());
        dir().ifPresent(d -> loaders.add(DIR_LOADERS.computeIfAbsent(d.toString(), k -> loader(d))));
        for (ClassLoader cl : loaders) {
            try {
                for (DecoderFactory f : ServiceLoader.load(DecoderFactory.class, cl)) {
                    if (BUILT_IN.contains(f.type())) {
                        throw new ModelException("decoder plugin " + f.getClass().getName() + " claims the built-in type " + f.type());
                    }
                    DecoderFactory before = out.putIfAbsent(f.type(), f);
                    if (before != null && before.getClass() != f.getClass()) {
                        throw new ModelException("decoder type " + f.type() + " is offered by two plugins: " + before.getClass().getName()
                                + " and " + f.getClass().getName());
                    }
                }
            } catch (ServiceConfigurationError e) {
                throw new ModelException("a decoder plugin could not be loaded: " + e.getMessage(), e);
            }
        }
        return out;
    }

    public static Optional<DecoderFactory> find(String type) {
        return Optional.ofNullable(all().get(type));
    }

    /** What an unknown {@code decoder.type} is told: the built-in families and the plugins found (and where they were looked for). */
    public static String known() {
        Map<String, DecoderFactory> plugins = all();
        return "built in: " + String.join(", ", new java.util.TreeSet<>(BUILT_IN))
                + "; from plugins: " + (plugins.isEmpty() ? "none" : String.join(", ", plugins.keySet()))
                + dir().map(d -> " (plugins directory " + d + withoutService(d) + ")").orElse(" (no plugins directory: --plugins DIR or VIGIL_PLUGINS)");
    }

    static final String SERVICE_FILE = "META-INF/services/" + DecoderFactory.class.getName();

    /** The jars of the directory that name no factory, said as such: a jar built without its service file loads nothing. */
    private static String withoutService(Path dir) {
        List<String> bare = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path j : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(j.toFile())) {
                    if (jar.getEntry(SERVICE_FILE) == null) bare.add(j.getFileName().toString());
                } catch (IOException e) {
                    bare.add(j.getFileName().toString() + " (not a readable jar: " + e.getMessage() + ")");
                }
            }
        } catch (IOException e) {
            return "";
        }
        return bare.isEmpty() ? "" : "; " + String.join(", ", bare) + (bare.size() == 1 ? " has no " : " have no ") + SERVICE_FILE
                + ", so " + (bare.size() == 1 ? "it provides" : "they provide") + " no decoder";
    }

    private static ClassLoader loader(Path dir) {
        if (!Files.isDirectory(dir)) throw new ModelException("plugins directory " + dir + " does not exist");
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path j : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) jars.add(j.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the plugins directory " + dir, e);
        }
        return new URLClassLoader("vigil-plugins", jars.toArray(URL[]::new), DecoderPlugins.class.getClassLoader());
    }
}
