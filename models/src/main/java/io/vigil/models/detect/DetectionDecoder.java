package io.vigil.models.detect;

/** Turns one image's raw output tensor into candidate boxes in frame pixels (before NMS). */
public interface DetectionDecoder {
    /**
     * @param output the decoder's output tensor for ONE image, row-major
     * @param shape  that tensor's shape without the batch axis
     */
    void decode(float[] output, int offset, long[] shape, Letterbox lb, float scoreThreshold, Candidates out);

    /** Checks the graph's output shape (batch axis included, -1 for dynamic); throws naming what was expected. */
    void checkShape(String outputName, long[] shape, int numLabels);
}
