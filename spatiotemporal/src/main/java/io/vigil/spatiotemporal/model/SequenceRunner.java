package io.vigil.spatiotemporal.model;

import io.vigil.spatiotemporal.ssm.MambaState;

/**
 * Runs the Mamba block of (layer, direction) over one sequence per stream, for several streams at once, leaving
 * each stream's state after its sequence. The Java kernel does it stream by stream ({@link SpatiotemporalModel#javaRunner});
 * an ONNX Runtime step graph does it token by token with the streams stacked along the batch axis.
 */
public interface SequenceRunner {
    /**
     * @param seqs    [≥ streams][len·d_model], the first {@code streams} rows used
     * @param states  [≥ streams], read and advanced
     * @param outs    [≥ streams][len·d_model], written
     * @param streams how many rows of the arrays are this call's streams
     */
    void forward(int layer, int direction, float[][] seqs, MambaState[] states, float[][] outs, int streams, int len);
}
