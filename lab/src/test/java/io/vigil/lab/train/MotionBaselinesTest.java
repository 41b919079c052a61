package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MotionBaselinesTest {
    @Test
    void onAConstantVelocityWalkLinearIsExactKalmanConvergesAndStandingStillLagsBySpeedTimesHorizon() {
        List<MotionBaselines.Score> s = MotionBaselines.score(List.of(MotionTracksTest.walker("a", 1, 0, 200, 3)), MotionBaselines.baselines());
        MotionBaselines.Score kalman = s.get(0), still = s.get(1), linear = s.get(2);
        assertEquals(200 - 1 - MotionBaselines.HORIZON, linear.steps(), "every step with two boxes seen and five to come");
        assertEquals(0, linear.fde()[4], 1e-3, "a straight line at constant speed: extrapolation is exact");
        assertEquals(15, still.fde()[4], 1e-3, "3 px a frame x 5 frames");
        assertEquals(9, still.ade()[4], 1e-3, "mean of 3, 6, 9, 12, 15");
        assertEquals(3, still.fde()[0], 1e-3);
        assertTrue(kalman.fde()[4] < 2, "the filter learns the velocity: " + kalman.fde()[4]);
        assertTrue(kalman.fde()[4] < still.fde()[4]);
        assertEquals(1.0, kalman.best() + still.best() + linear.best(), 1e-9);
        assertTrue(MotionBaselines.format(s).contains("linear extrapolation"));
    }
}
