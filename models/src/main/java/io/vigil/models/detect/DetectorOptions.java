package io.vigil.models.detect;

import io.vigil.models.runtime.ExecutionProvider;

/**
 * Run-time choices for a detector; null thresholds fall back to the model's descriptor.
 *
 * @param intraOpThreads ONNX Runtime threads per session; 0 lets ONNX Runtime choose
 */
public record DetectorOptions(ExecutionProvider provider, int intraOpThreads, Float scoreThreshold, Float nmsIou,
                              Boolean classAgnostic) {
    public static DetectorOptions defaults() {
        return new DetectorOptions(ExecutionProvider.CPU, 0, null, null, null);
    }

    public DetectorOptions withThreads(int n) {
        return new DetectorOptions(provider, n, scoreThreshold, nmsIou, classAgnostic);
    }

    public DetectorOptions withScoreThreshold(Float t) {
        return new DetectorOptions(provider, intraOpThreads, t, nmsIou, classAgnostic);
    }

    public DetectorOptions withProvider(ExecutionProvider p) {
        return new DetectorOptions(p, intraOpThreads, scoreThreshold, nmsIou, classAgnostic);
    }

    public DetectorOptions withClassAgnostic(Boolean b) {
        return new DetectorOptions(provider, intraOpThreads, scoreThreshold, nmsIou, b);
    }
}
