package io.vigil.models.detect;

import java.util.List;

/** One frame's detections and where the time went. */
public record DetectionResult(List<Detection> detections, long preprocessNanos, long inferenceNanos, long decodeNanos) {}
