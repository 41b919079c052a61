package io.vigil.models.detect;

import io.vigil.models.bundle.ModelDescriptor;
import io.vigil.models.bundle.ModelException;
import java.util.Arrays;

/** Builds the decoder a descriptor names, and the small helpers they share. */
public final class Decoders {
    private Decoders() {}

    public static DetectionDecoder create(ModelDescriptor d) {
        return create(d, "model.yaml");
    }

    /**
     * The decoder {@code d} names; an error raised by a plugin's factory is prefixed with {@code where} (the model.yaml
     * it came from) and the plugin, so the user knows which file and which jar to look at.
     */
    public static DetectionDecoder create(ModelDescriptor d, String where) {
        ModelDescriptor.Decoder dec = d.decoder();
        int w = d.input().width();
        int h = d.input().height();
        boolean normalized = Boolean.TRUE.equals(dec.normalized());
        return switch (dec.type()) {
            case "yolox" -> new YoloxDecoder(dec.output(), dec.strides().stream().mapToInt(Integer::intValue).toArray(), w, h);
            case "yolov5" -> new Yolov5Decoder(dec.output());
            case "yolov8" -> new Yolov8Decoder(dec.output());
            case "e2e" -> new EndToEndDecoder(dec.output(), normalized, w, h);
            case "fastestdet" -> new FastestDetDecoder(dec.output(), w, h);
            case "boxes-scores" -> new BoxesScoresDecoder(dec.boxes(), dec.scores(), !Boolean.FALSE.equals(dec.background()),
                    dec.normalized() == null || normalized, w, h);
            default -> {
                DecoderFactory f = DecoderPlugins.find(dec.type()).orElseThrow(() -> new ModelException(where + ": decoder.type " + dec.type()
                        + " is unknown: " + DecoderPlugins.known()));
                try {
                    yield f.create(dec, w, h);
                } catch (RuntimeException e) {
                    throw fromPlugin(where, dec.type(), f, e);
                }
            }
        };
    }

    /** A plugin's error, prefixed with the model.yaml and the plugin it came from. */
    static ModelException fromPlugin(String where, String type, Object plugin, RuntimeException e) {
        String msg = e instanceof ModelException ? e.getMessage() : e.toString();
        return new ModelException(where + ": decoder " + type + " (plugin " + plugin.getClass().getName() + "): " + msg, e);
    }

    /** Index of the largest of n values at stride {@code step} from {@code from}. */
    static int argmax(float[] a, int from, int n, int step) {
        int best = 0;
        float bv = a[from];
        for (int c = 1; c < n; c++) {
            float v = a[from + c * step];
            if (v > bv) {
                bv = v;
                best = c;
            }
        }
        return best;
    }

    static void checkClasses(String output, long classes, int numLabels) {
        if (numLabels > 0 && classes > 0 && classes != numLabels) {
            throw new ModelException("output '" + output + "' has " + classes + " classes but the labels file lists " + numLabels);
        }
    }

    static String shape(long[] s) {
        return Arrays.toString(s);
    }
}
