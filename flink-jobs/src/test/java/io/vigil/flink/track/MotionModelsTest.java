package io.vigil.flink.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.model.MotionModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MotionModelsTest {
    @Test
    void theDefaultIsTheShippedModelAndADirectoryMeansItsSafetensors() {
        Path shipped = MotionModels.resolve(null);
        assertTrue(shipped.endsWith(Path.of("models", "trained", "motion-mamba", "model.safetensors")), shipped.toString());
        assertEquals(shipped, MotionModels.resolve(shipped.getParent().toString()));
        assertEquals(shipped, MotionModels.resolve("motion-mamba"));
        MotionModel m = MotionModels.load(null);
        float[] ahead = new float[2 * MotionModel.HORIZON];
        var state = m.newState();
        // a walker 4 px a frame to the right: the shipped model expects him further right, 1 to 5 frames on
        for (int f = 0; f < 12; f++) m.step(f == 0 ? null : box(100 + 4 * (f - 1)), box(100 + 4 * f), 768, 576, state, ahead);
        for (int k = 1; k <= MotionModel.HORIZON; k++) {
            assertEquals(4 * k, ahead[2 * (k - 1)], 1.5 * k, "move " + k + " frames ahead: " + java.util.Arrays.toString(ahead));
        }
    }

    private static float[] box(float cx) {
        return new float[] {cx - 15, 200, cx + 15, 280};
    }

    @Test
    void somethingThatIsNoModelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MotionModels.resolve("no-such-motion-model"));
        assertTrue(e.getMessage().contains("track.motionModel: 'no-such-motion-model'"), e.getMessage());
    }
}
