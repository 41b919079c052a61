package io.vigil.models.detect;

import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelException;

/** A plugin whose factory refuses its settings, as a third-party one would (test fixture: named only by a jar's service file). */
public final class FailingDecoderFactory implements DecoderFactory {
    @Override
    public String type() {
        return "failing";
    }

    @Override
    public DetectionDecoder create(ModelDescriptor.Decoder settings, int inputWidth, int inputHeight) {
        throw new ModelException("option 'heatmap' is missing");
    }
}
