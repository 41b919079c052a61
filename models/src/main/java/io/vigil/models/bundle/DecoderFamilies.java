package io.vigil.models.bundle;

import java.util.ServiceLoader;

/**
 * Which detector decoder families exist beyond the built-in ones, so a descriptor naming a family nobody decodes fails
 * at load, naming what exists. The detect package provides it (from the plugins directory and the classpath); found
 * through {@link ServiceLoader} so that model bundles do not depend on the detector code above them.
 */
public interface DecoderFamilies {
    /** True when a decoder for {@code type} is available. */
    boolean has(String type);

    /** What is available, for an error message: the built-in families and the plugins' (and where plugins are looked for). */
    String known();

    /** The provider on the classpath, or null when the detector code is not there (then only the built-in families exist). */
    static DecoderFamilies find() {
        return ServiceLoader.load(DecoderFamilies.class, DecoderFamilies.class.getClassLoader()).findFirst().orElse(null);
    }
}
