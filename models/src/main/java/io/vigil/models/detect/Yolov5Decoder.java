package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.util.Map;

/**
 * YOLOv5 / YOLOv7 style output [N, R, 5 + C]: {@code cx, cy, w, h} in input pixels, objectness and class
 * probabilities (already sigmoid-ed, as exported); score = obj · max cls.
 */
public final class Yolov5Decoder extends SingleOutputDecoder {
    public Yolov5Decoder(String output) {
        super(output, 0, 0);
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] s = shapes.get(output);
        if (s.length != 3 || (s[2] != -1 && s[2] < 6)) {
            throw new ModelException("output '" + output + "' has shape " + Decoders.shape(s) + "; a YOLOv5-style head gives [N, boxes, 5+classes]");
        }
        if (s[2] > 0) Decoders.checkClasses(output, s[2] - 5, numLabels);
    }

    @Override
    public void decode(RawOutputs outs, int image, Letterbox lb, float threshold, Candidates cands) {
        float[] out = outs.data(output);
        long[] s = outs.shape(output);
        int rows = (int) s[1];
        int width = (int) s[2];
        int base = outs.offset(output, image);
        for (int r = 0; r < rows; r++) {
            int o = base + r * width;
            float obj = out[o + 4];
            if (obj <= threshold) continue;
            int best = Decoders.argmax(out, o + 5, width - 5, 1);
            float score = obj * out[o + 5 + best];
            if (score <= threshold) continue;
            float cx = out[o], cy = out[o + 1], w = out[o + 2], h = out[o + 3];
            cands.add(best, score, lb.frameX(cx - w / 2), lb.frameY(cy - h / 2), lb.frameX(cx + w / 2), lb.frameY(cy + h / 2));
        }
    }
}
