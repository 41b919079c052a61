package io.vigil.flink.detect;

import io.vigil.events.Inference;
import io.vigil.flink.config.JobConfig;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.gate.DetectGate;
import io.vigil.flink.gate.DetectorBudget;
import io.vigil.flink.gate.GateState;

/**
 * Whether the detector runs on a frame: the camera's {@link DetectGate} (interval, motion, frame age) within the
 * subtask's {@link DetectorBudget} (runs per second the detector can take, shared by weighted max-min fairness among
 * the cameras). The camera's spec may override the interval and its weight.
 */
final class GateDecider {
    private final JobConfig.Gate settings;
    private final DetectGate gate;
    private final DetectorBudget budget = new DetectorBudget();

    GateDecider(JobConfig.Gate settings, int parallelRuns) {
        this.settings = settings;
        this.gate = new DetectGate(new DetectGate.Settings(settings.every(), settings.motion(), settings.maxFrameAge().toMillis(), settings.motionRefresh(),
                settings.catchUpAge().toMillis()));
        budget.parallelRuns(parallelRuns);
    }

    /** True when the frame's motion is worth measuring: motion gating is on and the frame is not too old to detect anyway. */
    boolean wantsMotion(long ageMs) {
        long maxAge = settings.maxFrameAge().toMillis();
        return settings.motion() && !(maxAge > 0 && ageMs > maxAge);
    }

    /** full | interval | motion | overload; the camera's gate state in {@code s} moves on. */
    Inference decide(FrameEnvelope f, GateState s, long nowMs, long ageMs, boolean moving, boolean backlog) {
        int every = f.detectEvery > 0 ? f.detectEvery : settings.every();
        double weight = f.detectWeight > 0 ? f.detectWeight : 1;
        long maxAge = settings.maxFrameAge().toMillis();
        double allowed = 1;
        if (maxAge > 0) {
            // the budget aims at half the limit, so the queue in front of the detector stays well under it
            budget.arrived(f.camera, weight, f.tsMicros, nowMs, gate.passesMotion(s, f.seq, moving), every);
            budget.observeAge(ageMs, maxAge / 2, nowMs);
            allowed = budget.share(f.camera, nowMs);
        }
        return gate.decide(s, f.seq, every, allowed, ageMs, moving, backlog);
    }

    /** A detector run's cost, per frame, for the budget. */
    void ran(long doneMs, double msPerFrame) {
        budget.ran(doneMs, msPerFrame);
    }

    /** What the detector found on a frame, for the gate's "something is moving" memory. */
    void observeDetection(GateState s, long seq, float[] centres, float tolerancePx) {
        gate.observeDetection(s, seq, centres, tolerancePx);
    }
}
