package io.vigil.models.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.models.TestData;
import org.junit.jupiter.api.Test;

class InitializerInputsTest {
    /** UltraFace's exporter listed every weight as a graph input too (ONNX Runtime warned 244 times at load); YOLOX-Nano's did not. */
    @Test
    void countsTheInitializersThatAreAlsoInputs() {
        assertEquals(244, InitializerInputs.count(TestData.model("ultraface-rfb-320").resolve("version-RFB-320.onnx")));
        assertEquals(0, InitializerInputs.count(TestData.model("yolox-nano").resolve("yolox_nano.onnx")));
    }
}
