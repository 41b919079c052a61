package io.vigil.flink.detect;

import java.io.Serializable;

/**
 * The Detect operator's part of the job configuration.
 *
 * @param modelPath        absolute model path as the TaskManagers see it
 * @param provider         cpu or cuda[:N]
 * @param threads          ONNX Runtime intra-op threads (0 = its choice)
 * @param scoreThreshold   null = the model's
 * @param batchSize        most frames per micro-batch
 * @param batchTimeoutMs   longest a frame waits for its batch to fill
 * @param maxPixels        frames with more pixels (by their headers) are dead-lettered without decoding
 * @param failAfterFrames  testing only: fail attempt k after its n-th frame; null in production
 * @param tensorWidth      with tensorHeight > 0: attach each frame as a [3][H][W] RGB 0..1 tensor for the spatiotemporal stage
 */
public record DetectSettings(String modelPath, String provider, int threads, Float scoreThreshold, int batchSize, long batchTimeoutMs,
                             long maxPixels, long[] failAfterFrames, int tensorWidth, int tensorHeight) implements Serializable {
    public DetectSettings(String modelPath, String provider, int threads, Float scoreThreshold, int batchSize, long batchTimeoutMs,
                          long maxPixels, long[] failAfterFrames) {
        this(modelPath, provider, threads, scoreThreshold, batchSize, batchTimeoutMs, maxPixels, failAfterFrames, 0, 0);
    }
}
