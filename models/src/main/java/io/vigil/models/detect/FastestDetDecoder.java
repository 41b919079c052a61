package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.util.Map;

/**
 * FastestDet output [N, 5 + C, GH, GW], one box per cell: {@code obj} (sigmoid-ed), 4 raw regressions, C class
 * probabilities (softmax-ed). Centre = (cell + tanh(reg)) / grid, size = sigmoid(reg), both 0..1 of the input;
 * score = obj^0.6 · cls^0.4.
 */
public final class FastestDetDecoder extends SingleOutputDecoder {

    public FastestDetDecoder(String output, int inputWidth, int inputHeight) {
        super(output, inputWidth, inputHeight);
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] s = shapes.get(output);
        if (s.length != 4 || (s[1] != -1 && s[1] < 6)) {
            throw new ModelException("output '" + output + "' has shape " + Decoders.shape(s) + "; a FastestDet head gives [N, 5+classes, gridH, gridW]");
        }
        if (s[1] > 0) Decoders.checkClasses(output, s[1] - 5, numLabels);
    }

    @Override
    public void decode(RawOutputs outs, int image, Letterbox lb, float threshold, Candidates cands) {
        float[] out = outs.data(output);
        long[] s = outs.shape(output);
        int ch = (int) s[1];
        int gh = (int) s[2];
        int gw = (int) s[3];
        int plane = gh * gw;
        int base = outs.offset(output, image);
        for (int gy = 0; gy < gh; gy++) {
            for (int gx = 0; gx < gw; gx++) {
                int cell = base + gy * gw + gx;
                float obj = out[cell];
                int best = Decoders.argmax(out, cell + 5 * plane, ch - 5, plane);
                float cls = out[cell + (5 + best) * plane];
                float score = (float) (Math.pow(obj, 0.6) * Math.pow(cls, 0.4));
                if (!(score > threshold)) continue;
                float cx = (gx + (float) Math.tanh(out[cell + plane])) / gw;
                float cy = (gy + (float) Math.tanh(out[cell + 2 * plane])) / gh;
                float w = sigmoid(out[cell + 3 * plane]);
                float h = sigmoid(out[cell + 4 * plane]);
                cands.add(best, score, lb.frameX((cx - w / 2) * inW), lb.frameY((cy - h / 2) * inH),
                        lb.frameX((cx + w / 2) * inW), lb.frameY((cy + h / 2) * inH));
            }
        }
    }

    private static float sigmoid(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }
}
