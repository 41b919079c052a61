package io.vigil.flink.spatiotemporal;

import java.io.Serializable;

/**
 * The Spatiotemporal operator's part of the configuration.
 *
 * @param modelPath   a spatiotemporal model (safetensors with its shape in the metadata)
 * @param kernel      scalar or vector; null picks the vector kernel when the JVM has the incubator module
 * @param maxSeqGap   a jump of more frames resets the camera's SSM state (said in the event)
 * @param stateTtlMs  a camera's state is dropped after this long without frames
 */
public record SpatiotemporalSettings(String modelPath, String kernel, long maxSeqGap, long stateTtlMs) implements Serializable {}
