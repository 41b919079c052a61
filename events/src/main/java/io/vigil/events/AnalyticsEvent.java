package io.vigil.events;

/** One analytics occurrence, as published on {@code vigil.analytics} (a Flink POJO; fields per DESIGN.md). */
public class AnalyticsEvent {
    public static final String SCHEMA = "analytics/1";

    public String camera;
    /** The frame's vigil-seq. */
    public long frame;
    /** Capture time of that frame, epoch microseconds (the event carries milliseconds). */
    public long tsMicros;
    public String rule;
    public String ruleName;
    /** zone-enter | zone-exit | loitering | line-cross | speeding. */
    public AnalyticsType type;
    public long track;
    public String label;
    /** [x1, y1, x2, y2] pixels of the frame. */
    public float[] box;
    /** line-cross: in | out. */
    public String direction;
    /** zone-exit and loitering: seconds since the visit began; NaN when not relevant. */
    public double dwellSeconds = Double.NaN;
    /** speeding (and any event with a known speed): the object's speed; NaN when unknown. */
    public double speed = Double.NaN;
    /** m/s with a calibration, px/s without. */
    public String speedUnit;
    /** Why a visit ended without the object leaving (a track lost or reset); null when it left. */
    public String reason;
    /** Where the frame is on the frames topic. */
    public String frameTopic;
    public int framePartition;
    public long frameOffset = -1;

    public AnalyticsEvent() {}
}
