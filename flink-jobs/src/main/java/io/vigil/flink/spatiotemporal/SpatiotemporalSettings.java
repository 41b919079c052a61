package io.vigil.flink.spatiotemporal;

import java.io.Serializable;

/**
 * The Spatiotemporal operator's part of the configuration.
 *
 * @param modelPath   a spatiotemporal model (safetensors with its shape in the metadata)
 * @param kernel      scalar or vector; null picks the vector kernel when the JVM has the incubator module
 * @param backend     java (the kernel, camera by camera) or onnx (exported step graphs, cameras batched)
 * @param headPath    a trained recurrent action head on the per-frame vectors (labels per camera), or null
 * @param maxSeqGap   a jump of more frames resets the camera's SSM state (said in the event)
 * @param maxTimeGapMs a camera idle for longer restarts from zero state too (said in the event)
 * @param stateTtlMs  a camera's state is dropped after this long without frames
 * @param saliency    add each frame's per-patch implicit attention to its event (java backend)
 */
public record SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long maxTimeGapMs, long stateTtlMs, String backend,
                                     String headPath, boolean saliency) implements Serializable {
    public SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long stateTtlMs) {
        this(modelPath, kernel, maxSeqGap, 60_000, stateTtlMs, "java", null, false);
    }

    public SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long stateTtlMs, String backend) {
        this(modelPath, kernel, maxSeqGap, 60_000, stateTtlMs, backend, null, false);
    }

    public SpatiotemporalSettings withHead(String path) {
        return new SpatiotemporalSettings(modelPath, kernel, maxSeqGap, maxTimeGapMs, stateTtlMs, backend, path, saliency);
    }

    public SpatiotemporalSettings withSaliency(boolean on) {
        return new SpatiotemporalSettings(modelPath, kernel, maxSeqGap, maxTimeGapMs, stateTtlMs, backend, headPath, on);
    }
}
