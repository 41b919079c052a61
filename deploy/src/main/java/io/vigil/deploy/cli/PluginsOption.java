package io.vigil.deploy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --plugins DIR}: where decoder plugin jars are (io.vigil.models.detect.DecoderPlugins), for the commands that open detectors. */
final class PluginsOption {
    @Option(names = "--plugins", description = "a directory of decoder plugin jars (model.yaml decoder.type they name; default VIGIL_PLUGINS)")
    void plugins(Path dir) {
        System.setProperty("vigil.plugins", dir.toAbsolutePath().normalize().toString());
    }
}
