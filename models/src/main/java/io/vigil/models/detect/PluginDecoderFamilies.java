package io.vigil.models.detect;

import io.vigil.models.bundle.DecoderFamilies;

/** The decoder families a model.yaml may name: the built-in ones and the plugins' ({@link DecoderPlugins}). */
public final class PluginDecoderFamilies implements DecoderFamilies {
    @Override
    public boolean has(String type) {
        return DecoderPlugins.BUILT_IN.contains(type) || DecoderPlugins.find(type).isPresent();
    }

    @Override
    public String known() {
        return DecoderPlugins.known();
    }
}
