package io.vigil.events;

/** One rule's counts for one label in one event-time window, as published on {@code vigil.counts} (a Flink POJO). */
public class CountsEvent {
    public static final String SCHEMA = "counts/1";

    public String camera;
    public String rule;
    /** zone or line: which of the counts below are meaningful. */
    public String kind;
    public String label;
    public long windowStart;
    public long windowEnd;
    /** line: crossings each way. */
    public long in;
    public long out;
    /** zone: visits that began and ended in the window, and the occupancy over the window's frames. */
    public long entries;
    public long exits;
    public int maxOccupancy;
    public double meanOccupancy;
    /** zone: mean dwell of the visits that ended in the window; NaN when none ended. */
    public double meanDwellSeconds = Double.NaN;
    /** Emitted again because late frames changed a closed window (a consumer keeps the latest per key). */
    public boolean update;

    public CountsEvent() {}
}
