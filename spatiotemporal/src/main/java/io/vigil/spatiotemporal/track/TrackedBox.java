package io.vigil.spatiotemporal.track;

/**
 * A detection of this frame after association.
 *
 * @param detection index into the frame's detection list
 * @param trackId   the confirmed track it belongs to, or -1
 * @param vx        centre velocity of the track, pixels per frame (0 when untracked)
 * @param vy        centre velocity, pixels per frame
 */
public record TrackedBox(int detection, long trackId, double vx, double vy) {}
