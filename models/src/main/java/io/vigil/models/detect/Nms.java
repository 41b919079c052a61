package io.vigil.models.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy non-maximum suppression. Class-aware (the default: boxes only suppress boxes of their own class, which
 * is how the reference results were produced) or class-agnostic (one box per object whatever its class).
 */
public final class Nms {
    private Nms() {}

    /**
     * @return kept boxes, highest score first; ties keep decode order
     */
    public static List<Detection> apply(Candidates c, float iouThreshold, boolean classAware, List<String> labels) {
        int n = c.size;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(c.score[b], c.score[a]));
        boolean[] removed = new boolean[n];
        List<Detection> kept = new ArrayList<>();
        for (int oi = 0; oi < n; oi++) {
            int i = order[oi];
            if (removed[i]) continue;
            kept.add(new Detection(c.classId[i], label(labels, c.classId[i]), c.score[i], c.x1[i], c.y1[i], c.x2[i], c.y2[i]));
            for (int oj = oi + 1; oj < n; oj++) {
                int j = order[oj];
                if (removed[j] || (classAware && c.classId[j] != c.classId[i])) continue;
                if (Boxes.iou(c.x1[i], c.y1[i], c.x2[i], c.y2[i], c.x1[j], c.y1[j], c.x2[j], c.y2[j]) > iouThreshold) removed[j] = true;
            }
        }
        return kept;
    }

    /** Every candidate, highest score first (for models that ran NMS themselves). */
    public static List<Detection> all(Candidates c, List<String> labels) {
        List<Detection> out = new ArrayList<>(c.size);
        for (int i = 0; i < c.size; i++) {
            out.add(new Detection(c.classId[i], label(labels, c.classId[i]), c.score[i], c.x1[i], c.y1[i], c.x2[i], c.y2[i]));
        }
        out.sort((a, b) -> Float.compare(b.score(), a.score()));
        return out;
    }

    static String label(List<String> labels, int classId) {
        return classId >= 0 && classId < labels.size() ? labels.get(classId) : "class" + classId;
    }
}
