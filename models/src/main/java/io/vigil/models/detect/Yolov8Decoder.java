package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.util.Map;

/**
 * YOLOv8 / YOLO11 style output [N, 4 + C, R], channel-major: {@code cx, cy, w, h} in input pixels, then one
 * score per class and no objectness; score = max cls.
 */
public final class Yolov8Decoder extends SingleOutputDecoder {
    public Yolov8Decoder(String output) {
        super(output, 0, 0);
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] s = shapes.get(output);
        if (s.length != 3 || (s[1] != -1 && s[1] < 5)) {
            throw new ModelException("output '" + output + "' has shape " + Decoders.shape(s) + "; a YOLOv8-style head gives [N, 4+classes, boxes]");
        }
        if (s[1] > 0) Decoders.checkClasses(output, s[1] - 4, numLabels);
    }

    @Override
    public void decode(RawOutputs outs, int image, Letterbox lb, float threshold, Candidates cands) {
        float[] out = outs.data(output);
        long[] s = outs.shape(output);
        int ch = (int) s[1];
        int rows = (int) s[2];
        int base = outs.offset(output, image);
        for (int r = 0; r < rows; r++) {
            int best = Decoders.argmax(out, base + 4 * rows + r, ch - 4, rows);
            float score = out[base + (4 + best) * rows + r];
            if (score <= threshold) continue;
            float cx = out[base + r], cy = out[base + rows + r], w = out[base + 2 * rows + r], h = out[base + 3 * rows + r];
            cands.add(best, score, lb.frameX(cx - w / 2), lb.frameY(cy - h / 2), lb.frameX(cx + w / 2), lb.frameY(cy + h / 2));
        }
    }
}
