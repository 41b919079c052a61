package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.util.Map;

/**
 * End-to-end output [N, K, 6] (YOLOv10, models with NMS inside): {@code x1, y1, x2, y2, score, class} per kept
 * box, in input pixels (or 0..1 of the input when {@code normalized}); padding rows have score 0.
 */
public final class EndToEndDecoder extends SingleOutputDecoder {
    private final boolean normalized;

    public EndToEndDecoder(String output, boolean normalized, int inputWidth, int inputHeight) {
        super(output, inputWidth, inputHeight);
        this.normalized = normalized;
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] s = shapes.get(output);
        if (s.length != 3 || (s[2] != 6 && s[2] != -1)) {
            throw new ModelException("output '" + output + "' has shape " + Decoders.shape(s) + "; an end-to-end head gives [N, K, 6] (x1, y1, x2, y2, score, class)");
        }
    }

    @Override
    public void decode(RawOutputs outs, int image, Letterbox lb, float threshold, Candidates cands) {
        float[] out = outs.data(output);
        int rows = (int) outs.shape(output)[1];
        int base = outs.offset(output, image);
        float sx = normalized ? inW : 1f;
        float sy = normalized ? inH : 1f;
        for (int r = 0; r < rows; r++) {
            int o = base + r * 6;
            float score = out[o + 4];
            if (score <= threshold) continue;
            cands.add(Math.round(out[o + 5]), score, lb.frameX(out[o] * sx), lb.frameY(out[o + 1] * sy),
                    lb.frameX(out[o + 2] * sx), lb.frameY(out[o + 3] * sy));
        }
    }
}
