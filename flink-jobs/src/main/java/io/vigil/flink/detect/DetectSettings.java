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
 */
public record DetectSettings(String modelPath, String provider, int threads, Float scoreThreshold, int batchSize, long batchTimeoutMs,
                             long maxPixels, long[] failAfterFrames) implements Serializable {}
