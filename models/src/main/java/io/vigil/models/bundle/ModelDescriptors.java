package io.vigil.models.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and validates {@code model.yaml}; every error names the file and the key. */
public final class ModelDescriptors {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    static final Set<String> RESIZE = Set.of("letterbox-topleft", "letterbox-center", "stretch");
    /** The decoder families Vigil decodes itself. */
    public static final Set<String> BUILT_IN_DECODERS = Set.of("yolox", "yolov5", "yolov8", "e2e", "fastestdet", "boxes-scores");

    private ModelDescriptors() {}

    public static ModelDescriptor read(InputStream in, String where) {
        ModelDescriptor d;
        try {
            d = YAML.readValue(in, ModelDescriptor.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ModelException(where + ": unknown key '" + path(e) + "' (known: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            throw new ModelException(where + ": bad value at '" + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelException(where + ": not valid YAML: " + e.getMessage());
        }
        if (d == null) throw new ModelException(where + " is empty");
        return validate(d, where);
    }

    static ModelDescriptor validate(ModelDescriptor d, String where) {
        require(d.name() != null && !d.name().isBlank(), where, "name", "is missing");
        require("detector".equals(d.kind()) || "action".equals(d.kind()) || "sequence".equals(d.kind()), where, "kind",
                "must be detector, action or sequence (got " + d.kind() + ")");
        if (!"detector".equals(d.kind())) return validateAction(d, where);
        ModelDescriptor.Input in = d.input();
        require(in != null, where, "input", "is missing");
        require(in.name() != null, where, "input.name", "is missing");
        require(in.width() != null && in.width() > 0, where, "input.width", "must be > 0");
        require(in.height() != null && in.height() > 0, where, "input.height", "must be > 0");
        require(in.layout() == null || in.layout().equals("NCHW"), where, "input.layout", "must be NCHW (got " + in.layout() + ")");
        require(in.channels() == null || in.channels().equals("BGR") || in.channels().equals("RGB"), where, "input.channels",
                "must be BGR or RGB (got " + in.channels() + ")");
        require(in.resize() == null || RESIZE.contains(in.resize()), where, "input.resize", "must be one of " + RESIZE + " (got " + in.resize() + ")");
        require(in.pad() == null || (in.pad() >= 0 && in.pad() <= 255), where, "input.pad", "must be 0..255");
        require(in.mean() == null || in.mean().size() == 3, where, "input.mean", "must have 3 values");
        require(in.std() == null || (in.std().size() == 3 && in.std().stream().allMatch(s -> s != 0)), where, "input.std",
                "must have 3 non-zero values");
        ModelDescriptor.Decoder dec = d.decoder();
        require(dec != null, where, "decoder", "is missing");
        require(dec.type() != null, where, "decoder.type", "is missing");
        boolean builtIn = BUILT_IN_DECODERS.contains(dec.type());
        if (!builtIn) {
            // a family Vigil does not decode itself must come from a plugin (checked here so a typo fails at load, naming what exists)
            DecoderFamilies families = DecoderFamilies.find();
            require(families != null && families.has(dec.type()), where, "decoder.type", dec.type() + " is unknown: "
                    + (families != null ? families.known() : "built in: " + String.join(", ", new java.util.TreeSet<>(BUILT_IN_DECODERS))));
        } else if ("boxes-scores".equals(dec.type())) {
            require(dec.boxes() != null, where, "decoder.boxes", "is missing (the output holding the boxes)");
            require(dec.scores() != null, where, "decoder.scores", "is missing (the output holding the scores)");
        } else if (builtIn) {
            require(dec.output() != null, where, "decoder.output", "is missing");
        }
        if ("yolox".equals(dec.type())) {
            List<Integer> s = dec.strides();
            require(s != null && !s.isEmpty() && s.stream().allMatch(x -> x != null && x > 0), where, "decoder.strides", "must list positive strides");
        }
        require(d.scoreThreshold() == null || (d.scoreThreshold() >= 0 && d.scoreThreshold() <= 1), where, "scoreThreshold", "must be 0..1");
        require(d.nmsIou() == null || (d.nmsIou() > 0 && d.nmsIou() <= 1), where, "nmsIou", "must be in (0, 1]");
        require(d.nms() == null || d.nms().equals("class-aware") || d.nms().equals("class-agnostic") || d.nms().equals("none"), where, "nms",
                "must be class-aware, class-agnostic or none (got " + d.nms() + ")");
        require(d.action() == null, where, "action", "is only for kind: action");
        return d;
    }

    private static ModelDescriptor validateAction(ModelDescriptor d, String where) {
        ModelDescriptor.Action a = d.action();
        require(a != null, where, "action", "is missing (an action model needs its contract)");
        require("windowed".equals(a.contract()) || "recurrent".equals(a.contract()), where, "action.contract",
                "must be windowed or recurrent (got " + a.contract() + ")");
        require(a.input() != null, where, "action.input", "is missing");
        require(a.output() != null, where, "action.output", "is missing");
        if ("windowed".equals(a.contract())) {
            require(a.window() != null && a.window() > 0, where, "action.window", "must be > 0");
            require(a.features() != null && a.features() > 0, where, "action.features", "must be > 0");
            require(a.states() == null || a.states().isEmpty(), where, "action.states", "is only for recurrent models");
        } else {
            require(a.states() != null && !a.states().isEmpty(), where, "action.states", "must pair each state input with its output");
        }
        // a sequence model (e.g. an exported SSM step) outputs features; only action models name classes
        require(d.labels() != null || "sequence".equals(d.kind()), where, "labels", "is missing (an action model must name its classes)");
        require(d.decoder() == null && d.input() == null, where, "input/decoder", "are only for detectors");
        return d;
    }

    private static void require(boolean ok, String where, String key, String what) {
        if (!ok) throw new ModelException(where + ": " + key + " " + what);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
