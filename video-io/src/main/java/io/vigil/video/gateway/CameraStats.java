package io.vigil.video.gateway;

/**
 * A snapshot of one camera's counters.
 *
 * @param fps          frames published per second over the last heartbeat interval
 * @param p95AgeMs     95th percentile of frame age (capture to broker acknowledgement) over the recent frames
 * @param decodeMsAvg  mean FFmpeg grab+decode time per frame
 * @param encodeMsAvg  mean resize+JPEG encode time per frame
 * @param asCaptured   frames published as the camera's own JPEG (an MJPEG source that fits): no decode, no encode
 */
public record CameraStats(String camera, String state, long grabbed, long published, long dropped, long failed, long reconnects,
                          String lastError, double fps, long p95AgeMs, double decodeMsAvg, double encodeMsAvg, long asCaptured) {}
