package io.vigil.examples.decoder;

import io.vigil.models.bundle.ModelException;
import io.vigil.models.detect.Candidates;
import io.vigil.models.detect.DetectionDecoder;
import io.vigil.models.detect.Letterbox;
import io.vigil.models.detect.RawOutputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CenterNet's head (Zhou et al. 2019, "Objects as Points"): a per-class heatmap of object centres [N, C, H, W] (scores
 * 0..1), the box size at each cell [N, 2, H, W] (width, height in input pixels) and optionally the centre's sub-cell
 * offset [N, 2, H, W]. A detection is a heatmap peak (at least its 8 neighbours, which is what the paper's 3x3 max-pool
 * does instead of NMS) at or above the threshold: centre ((x + ox) * stride, (y + oy) * stride), box of that size.
 * No allocation per frame: every index is computed in place.
 */
final class CenterNetDecoder implements DetectionDecoder {
    private final String heatmap;
    private final String size;
    private final String offset; // null: cell centres on the grid
    private final int stride;

    CenterNetDecoder(String heatmap, String size, String offset, int stride) {
        this.heatmap = heatmap;
        this.size = size;
        this.offset = offset;
        this.stride = stride;
    }

    @Override
    public List<String> outputs() {
        List<String> o = new ArrayList<>(List.of(heatmap, size));
        if (offset != null) o.add(offset);
        return o;
    }

    @Override
    public void checkShapes(Map<String, long[]> shapes, int numLabels) {
        long[] hm = shapes.get(heatmap);
        if (hm == null || hm.length != 4) throw new ModelException("output '" + heatmap + "' has shape " + show(hm) + "; a CenterNet heatmap is [N, classes, H, W]");
        if (numLabels > 0 && hm[1] > 0 && hm[1] != numLabels) {
            throw new ModelException("output '" + heatmap + "' has " + hm[1] + " classes but the labels file lists " + numLabels);
        }
        for (String name : offset == null ? List.of(size) : List.of(size, offset)) {
            long[] s = shapes.get(name);
            if (s == null || s.length != 4 || (s[1] > 0 && s[1] != 2) || (s[2] > 0 && hm[2] > 0 && s[2] != hm[2]) || (s[3] > 0 && hm[3] > 0 && s[3] != hm[3])) {
                throw new ModelException("output '" + name + "' has shape " + show(s) + "; expected [N, 2, " + hm[2] + ", " + hm[3] + "] beside the heatmap");
            }
        }
    }

    @Override
    public void decode(RawOutputs out, int image, Letterbox lb, float scoreThreshold, Candidates cands) {
        long[] shape = out.shape(heatmap);
        int classes = (int) shape[1], h = (int) shape[2], w = (int) shape[3], plane = h * w;
        float[] hm = out.data(heatmap);
        int hb = out.offset(heatmap, image);
        float[] wh = out.data(size);
        int sb = out.offset(size, image);
        float[] reg = offset == null ? null : out.data(offset);
        int rb = offset == null ? 0 : out.offset(offset, image);
        for (int c = 0; c < classes; c++) {
            int base = hb + c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float s = hm[base + y * w + x];
                    if (s < scoreThreshold || !peak(hm, base, w, h, x, y, s)) continue;
                    int cell = y * w + x;
                    float cx = (x + (reg == null ? 0.5f : reg[rb + cell])) * stride;
                    float cy = (y + (reg == null ? 0.5f : reg[rb + plane + cell])) * stride;
                    float bw = wh[sb + cell], bh = wh[sb + plane + cell];
                    cands.add(c, s, lb.frameX(cx - bw / 2), lb.frameY(cy - bh / 2), lb.frameX(cx + bw / 2), lb.frameY(cy + bh / 2));
                }
            }
        }
    }

    /** s is at least each of its 8 neighbours' scores. */
    private static boolean peak(float[] hm, int base, int w, int h, int x, int y, float s) {
        for (int dy = -1; dy <= 1; dy++) {
            int yy = y + dy;
            if (yy < 0 || yy >= h) continue;
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                if ((dx == 0 && dy == 0) || xx < 0 || xx >= w) continue;
                if (hm[base + yy * w + xx] > s) return false;
            }
        }
        return true;
    }

    private static String show(long[] s) {
        return s == null ? "(missing)" : Arrays.toString(s);
    }
}
