package io.vigil.events.analytics;

/**
 * What one frame adds to one rule's counts for one label (a Flink POJO): a crossing, an entry or exit with its dwell,
 * or the zone's occupancy at that frame. Keyed by {@link #key()} into event-time windows ({@link CountsAggregate}).
 */
public class CountDelta {
    public String camera;
    public String rule;
    /** zone | line */
    public String kind;
    public String label;
    public int in;
    public int out;
    public int entries;
    public int exits;
    /** Objects inside the zone at this frame, or -1 when this delta is not an occupancy sample. */
    public int occupancy = -1;
    /** An exit's dwell, seconds; NaN otherwise. */
    public double dwellSeconds = Double.NaN;

    public CountDelta() {}

    public String key() {
        return camera + "\u0000" + rule + "\u0000" + label;
    }
}
