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
 */
public record SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long maxTimeGapMs, long stateTtlMs, String backend,
                                     String headPath) implements Serializable {
    public SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long stateTtlMs) {
        this(modelPath, kernel, maxSeqGap, 60_000, stateTtlMs, "java", null);
    }

    public SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long stateTtlMs, String backend) {
        this(modelPath, kernel, maxSeqGap, 60_000, stateTtlMs, backend, null);
    }

    public SpatiotemporalSettings withHead(String path) {
        return new SpatiotemporalSettings(modelPath, kernel, maxSeqGap, maxTimeGapMs, stateTtlMs, backend, path);
    }
}
