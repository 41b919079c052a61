package io.vigil.models.detect;

/**
 * One detected object, its box in pixels of the original frame (x1,y1 top-left; x2,y2 bottom-right).
 */
public record Detection(int classId, String label, float score, float x1, float y1, float x2, float y2) {
    public float area() {
        return Math.max(0f, x2 - x1) * Math.max(0f, y2 - y1);
    }

    /** Intersection over union with another box; 0 when either is empty. */
    public float iou(Detection o) {
        return Boxes.iou(x1, y1, x2, y2, o.x1, o.y1, o.x2, o.y2);
    }
}
