package io.vigil.events;

/** One object in a detection event (a Flink POJO; JSON field names follow DESIGN.md). */
public class DetectedObject {
    public String label;
    public int classId;
    public float score;
    /** [x1, y1, x2, y2] pixels of the published frame. */
    public float[] box;
    /** The box divided by the frame's width and height, 0..1. */
    public float[] boxNorm;
    /** The confirmed track this object belongs to, or -1 (untracked, or no tracker). */
    public long track = -1;
    /** Centre velocity of the track in pixels per second of capture time, or null. */
    public float[] velocity;
    /** Speed of the track's anchor (with analytics rules): m/s with a camera calibration, else px/s; NaN when unknown. */
    public float speed = Float.NaN;
    /** "m/s" or "px/s", or null when there is no speed. */
    public String speedUnit;
    /** Ids of the zone rules the object is inside, or null. */
    public String[] zones;
    /** True when the box is the tracker's prediction for a frame the detector did not run on. */
    public boolean predicted;

    public DetectedObject() {}
}
