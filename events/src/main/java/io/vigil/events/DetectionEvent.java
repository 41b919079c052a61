package io.vigil.events;

/** One frame's detections, as published on {@code vigil.detections} (a Flink POJO). */
public class DetectionEvent {
    public static final String SCHEMA = "vigil.detections/1";

    public String camera;
    /** The frame's vigil-seq. */
    public long frame;
    /** Capture time, epoch microseconds (the event carries milliseconds). */
    public long tsMicros;
    public int width;
    public int height;
    /** {@code name@sha256:<12 hex>}. */
    public String model;
    public DetectedObject[] objects;
    /**
     * Whether and why the detector ran on this frame: {@link #FULL} (it did), {@link #INTERVAL} (the camera's detection
     * interval skipped it), {@link #MOTION} (no motion and nothing moving), {@link #OVERLOAD} (the frame was too old, or
     * the camera's share of the detector was lowered to catch up). Without a detection the objects are the tracker's
     * predictions.
     */
    public Inference inference = Inference.FULL;
    /** Set when the camera's temporal state was reset at this frame, with why ({@code ResetPolicy}: frame gap, idle camera). */
    public String reset;
    /** The spatiotemporal model's pooled vector for this frame [d_model], when that stage is configured. */
    public float[] embedding;
    /** The SSM's implicit attention per patch for this frame (0..1, max = 1), when asked for. */
    public Saliency saliency;

    public static final Inference FULL = Inference.FULL;
    public static final Inference INTERVAL = Inference.INTERVAL;
    public static final Inference MOTION = Inference.MOTION;
    public static final Inference OVERLOAD = Inference.OVERLOAD;

    public DetectionEvent() {}

    /** True when the detector ran on this frame. */
    public boolean detected() {
        return inference == Inference.FULL;
    }
}
