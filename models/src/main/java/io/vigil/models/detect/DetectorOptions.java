package io.vigil.models.detect;

import io.vigil.models.runtime.ExecutionProvider;

/**
 * Run-time choices for a detector; null thresholds fall back to the model's descriptor.
 *
 * @param intraOpThreads ONNX Runtime threads per session; 0 lets ONNX Runtime choose
 * @param maxBatch       most frames per session run when the model's batch axis is dynamic
 * @param nms            null (the descriptor's), class-aware, class-agnostic or none
 * @param requireProvider fail rather than fall back to CPU when {@code provider} cannot be used
 */
public record DetectorOptions(ExecutionProvider provider, int intraOpThreads, Float scoreThreshold, Float nmsIou,
                              String nms, int maxBatch, boolean requireProvider) {
    public DetectorOptions(ExecutionProvider provider, int intraOpThreads, Float scoreThreshold, Float nmsIou, String nms, int maxBatch) {
        this(provider, intraOpThreads, scoreThreshold, nmsIou, nms, maxBatch, false);
    }

    public DetectorOptions withRequireProvider(boolean require) {
        return new DetectorOptions(provider, intraOpThreads, scoreThreshold, nmsIou, nms, maxBatch, require);
    }

    public DetectorOptions {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        if (nms != null && !nms.equals("class-aware") && !nms.equals("class-agnostic") && !nms.equals("none")) {
            throw new IllegalArgumentException("nms must be class-aware, class-agnostic or none, got " + nms);
        }
    }

    public static DetectorOptions defaults() {
        return new DetectorOptions(ExecutionProvider.CPU, 0, null, null, null, 8);
    }

    public DetectorOptions withThreads(int n) {
        return new DetectorOptions(provider, n, scoreThreshold, nmsIou, nms, maxBatch, requireProvider);
    }

    public DetectorOptions withScoreThreshold(Float t) {
        return new DetectorOptions(provider, intraOpThreads, t, nmsIou, nms, maxBatch, requireProvider);
    }

    public DetectorOptions withProvider(ExecutionProvider p) {
        return new DetectorOptions(p, intraOpThreads, scoreThreshold, nmsIou, nms, maxBatch, requireProvider);
    }

    /** true: class-agnostic; false: class-aware; null: the descriptor's choice. */
    public DetectorOptions withClassAgnostic(Boolean b) {
        return new DetectorOptions(provider, intraOpThreads, scoreThreshold, nmsIou,
                b == null ? null : b ? "class-agnostic" : "class-aware", maxBatch, requireProvider);
    }

    public DetectorOptions withNms(String mode) {
        return new DetectorOptions(provider, intraOpThreads, scoreThreshold, nmsIou, mode, maxBatch, requireProvider);
    }

    public DetectorOptions withMaxBatch(int n) {
        return new DetectorOptions(provider, intraOpThreads, scoreThreshold, nmsIou, nms, n, requireProvider);
    }
}
