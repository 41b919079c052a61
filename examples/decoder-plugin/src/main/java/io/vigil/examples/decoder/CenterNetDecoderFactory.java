package io.vigil.examples.decoder;

import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.detect.DecoderFactory;
import io.vigil.models.detect.DetectionDecoder;

/**
 * {@code decoder.type: centernet}. model.yaml:
 * <pre>
 * decoder:
 *   type: centernet
 *   options: {heatmap: hm, size: wh, offset: reg, stride: 4}    # offset is optional
 * </pre>
 */
public final class CenterNetDecoderFactory implements DecoderFactory {
    @Override
    public String type() {
        return "centernet";
    }

    @Override
    public DetectionDecoder create(ModelDescriptor.Decoder s, int inputWidth, int inputHeight) {
        String heatmap = required(s, "heatmap");
        String size = required(s, "size");
        int stride;
        try {
            stride = Integer.parseInt(required(s, "stride"));
        } catch (NumberFormatException e) {
            throw new ModelException("decoder.options.stride must be a whole number of input pixels per heatmap cell, got " + s.option("stride"));
        }
        if (stride <= 0) throw new ModelException("decoder.options.stride must be > 0, got " + stride);
        return new CenterNetDecoder(heatmap, size, s.option("offset"), stride);
    }

    private static String required(ModelDescriptor.Decoder s, String key) {
        String v = s.option(key);
        if (v == null || v.isBlank()) throw new ModelException("decoder.options." + key + " is missing (the centernet decoder needs heatmap, size and stride)");
        return v;
    }
}
