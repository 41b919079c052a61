package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.util.List;
import java.util.Map;

/**
 * Already-decoded boxes and scores (UltraFace, SSD exports): {@code boxes} [N, R, 4] x1, y1, x2, y2 (0..1 of the
 * input when normalised, else input pixels) and {@code scores} [N, R, C]. Class ids are score columns; with a
 * background column, column 0 is never reported (the labels file lists it too, as UltraFace's does).
 */
public final class BoxesScoresDecoder implements DetectionDecoder {
    private final String boxes;
    private final String scores;
    private final boolean background;
    private final boolean normalized;
    private final int inW;
    private final int inH;

    public BoxesScoresDecoder(String boxes, String scores, boolean background, boolean normalized, int inputWidth, int inputHeight) {
        this.boxes = boxes;
        this.scores = scores;
        this.background = background;
        this.normalized = normalized;
        this.inW = inputWidth;
        this.inH = inputHeight;
    }

    @Override
    public List<String> outputs() {
        return List.of(boxes, scores);
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] b = shapes.get(boxes);
        long[] s = shapes.get(scores);
        if (b.length != 3 || (b[2] != 4 && b[2] != -1)) {
            throw new ModelException("output '" + boxes + "' has shape " + Decoders.shape(b) + "; expected [N, boxes, 4]");
        }
        if (s.length != 3) throw new ModelException("output '" + scores + "' has shape " + Decoders.shape(s) + "; expected [N, boxes, classes]");
        if (b[1] > 0 && s[1] > 0 && b[1] != s[1]) {
            throw new ModelException("outputs '" + boxes + "' and '" + scores + "' disagree on the box count: " + b[1] + " vs " + s[1]);
        }
        if (s[2] > 0) Decoders.checkClasses(scores, s[2], numLabels);
    }

    @Override
    public void decode(RawOutputs outs, int image, Letterbox lb, float threshold, Candidates cands) {
        float[] b = outs.data(boxes);
        float[] s = outs.data(scores);
        int rows = (int) outs.shape(boxes)[1];
        int classes = (int) outs.shape(scores)[2];
        int bb = outs.offset(boxes, image);
        int sb = outs.offset(scores, image);
        int first = background ? 1 : 0;
        float sx = normalized ? inW : 1f;
        float sy = normalized ? inH : 1f;
        for (int r = 0; r < rows; r++) {
            int so = sb + r * classes;
            int best = first + Decoders.argmax(s, so + first, classes - first, 1);
            float score = s[so + best];
            if (score <= threshold) continue;
            int o = bb + r * 4;
            cands.add(best, score, lb.frameX(b[o] * sx), lb.frameY(b[o + 1] * sy), lb.frameX(b[o + 2] * sx), lb.frameY(b[o + 3] * sy));
        }
    }
}
