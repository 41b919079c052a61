package io.vigil.models.detect;

import java.util.List;
import java.util.Map;

/** Turns one image's raw outputs into candidate boxes in frame pixels (before NMS). */
public interface DetectionDecoder {
    /** The graph outputs this decoder reads. */
    List<String> outputs();

    /**
     * Checks the graph's output shapes (batch axis included, -1 for dynamic dimensions) against the family's
     * layout and the labels; throws {@link io.vigil.models.bundle.ModelException} naming the tensor and what was
     * expected.
     */
    void checkShapes(Map<String, long[]> shapes, int numLabels);

    void decode(RawOutputs out, int image, Letterbox lb, float scoreThreshold, Candidates cands);
}
