package io.vigil.models.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

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
 * @param nms        class-aware (default), class-agnostic, or none (models with NMS inside)
 * @param action     action models: how the model is called
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
        String nms,
        Action action) {

    /**
     * The contract of an action model.
     *
     * @param contract   windowed (the last {@code window} observations in, class scores or ids out) or recurrent
     *                   (this step's input plus state tensors in, outputs plus new state out)
     * @param input      the observation input's name
     * @param output     the output holding class scores [N, classes] or class ids [N]
     * @param window     windowed: observations per call
     * @param features   windowed: values per observation (e.g. 2 for an x, y point)
     * @param threshold  windowed: name of an extra scalar score-threshold input the graph wants, if any
     * @param states     recurrent: state input name -> state output name
     */
    public record Action(String contract, String input, String output, Integer window, Integer features, String threshold,
                         Map<String, String> states) {}


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
     * @param type       yolox, yolov5, yolov8, e2e, fastestdet or boxes-scores
     * @param output     the graph output to decode (single-output families)
     * @param boxes      boxes-scores: the output with [N, R, 4] x1,y1,x2,y2 boxes
     * @param scores     boxes-scores: the output with [N, R, classes] scores
     * @param strides    yolox: grid strides, in row order of the output
     * @param background boxes-scores: score column 0 is a background class, not reported
     * @param normalized e2e and boxes-scores: box coordinates are 0..1 of the input instead of pixels
     * @param options    a plugin decoder's own settings (see {@code io.vigil.models.detect.DecoderFactory}), as YAML gives them
     */
    public record Decoder(String type, String output, String boxes, String scores, List<Integer> strides,
                          Boolean background, Boolean normalized, java.util.Map<String, Object> options) {
        public Decoder {
            options = options == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        }

        /**
         * A plugin option as text, or null when absent: a scalar as YAML wrote it ({@code stride: 4} gives "4"); a list
         * or a map gives Java's {@code toString} ("[4, 8]"): read those with {@link #optionList} or {@link #options()}.
         */
        public String option(String key) {
            Object v = options.get(key);
            return v == null ? null : v.toString();
        }

        /**
         * A plugin option that may be a list, each element as text ({@code strides: [8, 16]} gives ["8", "16"]); a
         * scalar gives a list of one, an absent key an empty list.
         */
        public List<String> optionList(String key) {
            Object v = options.get(key);
            if (v == null) return List.of();
            if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
            return List.of(v.toString());
        }
    }
}
