package io.vigil.models.detect;

import io.vigil.models.bundle.ModelException;
import java.util.Arrays;
import java.util.Map;

/**
 * YOLOX head output [N, R, 5 + C]: per grid cell (stride 8, then 16, then 32; row-major within a grid)
 * {@code tx, ty, tw, th, obj, cls...} with obj and cls already sigmoid-ed. Centre = (t + grid)·stride,
 * size = e^t·stride, score = obj · max cls.
 */
public final class YoloxDecoder extends SingleOutputDecoder {
    private final int[] strides;
    private final int rows;

    public YoloxDecoder(String output, int[] strides, int inputWidth, int inputHeight) {
        super(output, inputWidth, inputHeight);
        this.strides = strides.clone();
        int r = 0;
        for (int s : strides) r += (inputWidth / s) * (inputHeight / s);
        this.rows = r;
    }

    public int rows() {
        return rows;
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] shape = shapes.get(output);
        if (shape.length != 3 || (shape[1] != rows && shape[1] != -1) || shape[2] < 6) {
            throw new ModelException("output '" + output + "' has shape " + Arrays.toString(shape)
                    + " but a YOLOX head for a " + inW + "x" + inH + " input with strides " + Arrays.toString(strides)
                    + " gives [N, " + rows + ", 5+classes]");
        }
        Decoders.checkClasses(output, shape[2] - 5, numLabels);
    }

    @Override
    public void decode(RawOutputs outs, int image, Letterbox lb, float threshold, Candidates cands) {
        float[] out = outs.data(output);
        int offset = outs.offset(output, image);
        int width = (int) outs.shape(output)[2];
        int classes = width - 5;
        int row = 0;
        for (int s : strides) {
            int gw = inW / s;
            int gh = inH / s;
            for (int gy = 0; gy < gh; gy++) {
                for (int gx = 0; gx < gw; gx++, row++) {
                    int o = offset + row * width;
                    float obj = out[o + 4];
                    if (obj <= threshold) continue; // score = obj·cls <= obj: cannot pass
                    int best = Decoders.argmax(out, o + 5, classes, 1);
                    float score = obj * out[o + 5 + best];
                    if (score <= threshold) continue;
                    float cx = (out[o] + gx) * s;
                    float cy = (out[o + 1] + gy) * s;
                    float w = (float) Math.exp(out[o + 2]) * s;
                    float h = (float) Math.exp(out[o + 3]) * s;
                    cands.add(best, score, lb.frameX(cx - w / 2), lb.frameY(cy - h / 2), lb.frameX(cx + w / 2), lb.frameY(cy + h / 2));
                }
            }
        }
    }
}
