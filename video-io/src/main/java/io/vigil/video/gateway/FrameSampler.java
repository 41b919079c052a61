package io.vigil.video.gateway;

/**
 * Decides which source frames to keep to reach a target rate, from the source's own frame timing
 * (index / native fps), so the choice is the same however fast frames are decoded.
 */
final class FrameSampler {
    private final double sourceFps;
    private final double targetFps;
    private double nextKeepTime = 0;

    FrameSampler(double sourceFps, double targetFps) {
        this.sourceFps = sourceFps;
        this.targetFps = targetFps;
    }

    /** Every frame is kept when the target is 0 or not below the source rate. */
    boolean keepsAll() {
        return targetFps <= 0 || targetFps >= sourceFps;
    }

    boolean keep(long sourceIndex) {
        if (keepsAll()) return true;
        double t = sourceIndex / sourceFps;
        // Half a source frame of slack so a 10 -> 5 fps target keeps exactly every other frame.
        if (t + 0.5 / sourceFps >= nextKeepTime) {
            nextKeepTime += 1.0 / targetFps;
            if (nextKeepTime < t) nextKeepTime = t + 1.0 / targetFps;
            return true;
        }
        return false;
    }
}
