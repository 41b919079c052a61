package io.vigil.events;

/** One action label for a track (or a camera) at a frame, as published on {@code vigil.actions} (a Flink POJO). */
public class ActionEvent {
    public static final String SCHEMA = "vigil.actions/1";

    public String camera;
    public long frame;
    public long tsMicros;
    /** The track labelled, or -1 for a per-camera label. */
    public long track = -1;
    /** Labels, best first. */
    public String[] labels;
    /** Matching scores, 0..1. */
    public float[] scores;
    public String model;

    public ActionEvent() {}
}
