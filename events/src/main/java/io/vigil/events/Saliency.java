package io.vigil.events;

/**
 * Which patches of a frame drove the spatiotemporal model's output (its first scan's implicit attention), on the
 * model's patch grid, scaled so the strongest patch is 1 (a Flink POJO).
 */
public class Saliency {
    public int rows;
    public int cols;
    /** [rows][cols], row-major, 0..1. */
    public float[] values;

    public Saliency() {}

    public Saliency(int rows, int cols, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }
}
