package io.vigil.flink.gate;

import io.vigil.video.motion.MotionDetector;

/**
 * One camera's gate between frames (a Flink POJO, keyed state): its share of the detector, the detector runs it has
 * earned, whether an object was moving, and its motion background.
 */
public class GateState {
    /** Fraction of this camera's frames that may run the detector now: at most 1/interval, lowered under overload. */
    public double share = 1;
    /** Detector runs earned: a frame runs when this reaches 1 (never above 1, so no bursts after a quiet spell). */
    public double credit = 1;
    /** Runs the camera's interval alone would have earned: a skipped frame at which this reaches 1 is {@code overload}. */
    public double due = 1;
    /** Frames since the detector last ran on this camera. */
    public long sinceDetect;
    /** An object moved between the last two detections: motion gating runs the detector up to this seq. */
    public long movingUntilSeq = -1;
    /** Centres of the objects of the last detection, [n*2] pixels (x, y), or null. */
    public float[] lastCentres;
    /** The seq of the last detection. */
    public long lastDetectSeq = -1;
    /** The motion detector's background, or null before the first frame. */
    public MotionDetector.State motion;

    /** {@link FrameAge}: the lowest (arrival on the job's clock - capture on the gateway's) seen, ms, once known. */
    public long leastDelayMs;
    public boolean delayKnown;
    /** {@link FrameAge}'s window for a clock that stepped back: where it began (job clock, capture clock) and its lowest delay. */
    public long windowStartMs;
    public long windowStartCaptureMs;
    public long windowLeastDelayMs;

    public GateState() {}
}
