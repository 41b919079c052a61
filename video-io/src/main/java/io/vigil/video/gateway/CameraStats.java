package io.vigil.video.gateway;

/** A snapshot of one camera's counters. */
public record CameraStats(String camera, String state, long grabbed, long published, long failed, String lastError) {}
