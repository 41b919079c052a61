package io.vigil.flink.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.events.DetectionEvent;
import io.vigil.flink.TestFrames;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.models.detect.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionMapperTest {
    @Test
    void boxesInPixelsAndNormalisedWithTheFrameAndModel() {
        FrameEnvelope f = TestFrames.frame("cam-1", 42, new byte[0], 800, 400);
        DetectionEvent e = new DetectionMapper("yolox-nano@sha256:695e750a5d57").toEvent(f, List.of(new Detection(0, "person", 0.9f, 100, 40, 300, 240)));
        assertEquals("cam-1", e.camera);
        assertEquals(42, e.frame);
        assertEquals(f.tsMicros, e.tsMicros);
        assertEquals("yolox-nano@sha256:695e750a5d57", e.model);
        assertEquals("person", e.objects[0].label);
        assertArrayEquals(new float[] {100, 40, 300, 240}, e.objects[0].box);
        assertArrayEquals(new float[] {0.125f, 0.1f, 0.375f, 0.6f}, e.objects[0].boxNorm, 1e-6f);
        assertArrayEquals(new float[] {200, 140}, DetectionMapper.centres(e));
    }
}
