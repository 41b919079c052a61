package io.vigil.flink.event;

import io.vigil.events.DetectionEvent;

/**
 * A detected frame between the job's stages (a Flink POJO, never published): the {@link DetectionEvent} that will be
 * published, and the small frame tensor the spatiotemporal stage steps on. Carrying the tensor here keeps the published
 * type to what is published; carrying it at all (rather than decoding the JPEG again after the keyBy) measured cheaper:
 * a 3x64x64 tensor is 48 KB of floats against a 3-5 ms decode + resize per frame.
 *
 * <p>Each field has one owner, the stage that writes it; every later stage only reads it:
 * <table>
 *   <caption>who writes what</caption>
 *   <tr><th>stage</th><th>writes</th></tr>
 *   <tr><td>Detect ({@code DetectOperator})</td><td>this object; the event's camera, frame, ts, size, model and
 *       {@code inference}; on a detected frame the objects' label, classId, score, box, boxNorm; {@link #tensor};
 *       topic, partition, offset</td></tr>
 *   <tr><td>Track ({@code TrackOperator})</td><td>the objects' {@code track} and {@code velocity}; on a frame the
 *       detector skipped, the objects array itself (the tracker's predictions, {@code predicted: true}); {@code reset}
 *       when the camera's history breaks there</td></tr>
 *   <tr><td>Analytics ({@code AnalyticsOperator})</td><td>the objects' {@code speed}, {@code speedUnit} and
 *       {@code zones}</td></tr>
 *   <tr><td>Spatiotemporal ({@code SpatiotemporalOperator})</td><td>{@code embedding}, {@code saliency}; {@code reset}
 *       only when no earlier stage set it ({@code ResetPolicy.mark})</td></tr>
 * </table>
 * Flink hands the same object from stage to stage within a chain and a copy across a network shuffle; either way a
 * stage never writes a field another stage owns.
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
