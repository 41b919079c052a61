package io.vigil.flink.event;

import io.vigil.events.DetectionEvent;

/**
 * A detected frame between the job's stages (a Flink POJO, never published): the {@link DetectionEvent} that will be
 * published, and the small frame tensor the spatiotemporal stage steps on. Carrying the tensor here keeps the published
 * type to what is published; carrying it at all (rather than decoding the JPEG again after the keyBy) measured cheaper:
 * a 3x64x64 tensor is 48 KB of floats against a 3-5 ms decode + resize per frame.
 */
public class DetectedFrame {
    public DetectionEvent event;
    /** [3][H][W] RGB 0..1 at the spatiotemporal model's input size, or null when no spatiotemporal stage runs. */
    public float[] tensor;
    /** Where the frame's record is on the frames topic, for a dead letter a later stage writes. */
    public String topic;
    public int partition;
    public long offset = -1;

    public DetectedFrame() {}

    public DetectedFrame(DetectionEvent event, float[] tensor) {
        this.event = event;
        this.tensor = tensor;
    }

    /** The frame with where its record came from. */
    public static DetectedFrame of(DetectionEvent event, float[] tensor, FrameEnvelope from) {
        DetectedFrame f = new DetectedFrame(event, tensor);
        f.topic = from.topic;
        f.partition = from.partition;
        f.offset = from.offset;
        return f;
    }

    /** The camera id, the key every keyed stage uses. */
    public String camera() {
        return event.camera;
    }
}
