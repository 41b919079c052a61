package io.vigil.models.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code model.yaml} says about a model: how to feed it and how to read its output. Unknown keys are an
 * error (a typo must not silently fall back to a default).
 *
 * @param name       short name used in events ({@code name@sha256:...})
 * @param kind       {@code detector} (actions come later)
 * @param file       the .onnx file, relative to the descriptor's directory
 * @param sha256     the file's hash: how built-in descriptors are matched to bare model directories
 * @param source     where the file was published (informational)
 * @param license    the model's licence (informational)
 * @param labels     labels file, relative to the directory; built-in entries may also ship it as a resource
 */
public record ModelDescriptor(
        String name,
        String kind,
        String file,
        String sha256,
        String source,
        String license,
        Input input,
        Decoder decoder,
        String labels,
        @JsonProperty("scoreThreshold") Float scoreThreshold,
        @JsonProperty("nmsIou") Float nmsIou,
        String nms) {

    /**
     * @param name     the graph input's name
     * @param width    network input width in pixels
     * @param height   network input height in pixels
     * @param layout   NCHW (only layout so far)
     * @param channels BGR or RGB
     * @param resize   letterbox-topleft, letterbox-center or stretch
     * @param pad      grey value of letterbox padding, 0..255
     * @param scale    raw 0..255 pixels are multiplied by this first (1/255 for 0..1 models)
     * @param mean     per channel, in the model's channel order, subtracted after scaling
     * @param std      per channel, divided after subtracting the mean
     */
    public record Input(String name, Integer width, Integer height, String layout, String channels, String resize,
                        Integer pad, Float scale, List<Float> mean, List<Float> std) {}

    /**
     * @param type    yolox (more families come with the models issue)
     * @param output  the graph output to decode
     * @param strides grid strides, in row order of the output
     */
    public record Decoder(String type, String output, List<Integer> strides) {}
}
