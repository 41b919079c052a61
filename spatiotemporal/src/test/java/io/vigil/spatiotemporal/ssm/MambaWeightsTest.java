package io.vigil.spatiotemporal.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.io.SafeTensors;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import io.vigil.spatiotemporal.io.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MambaWeightsTest {
    private static List<Tensor> tensors() {
        return MambaWeights.random(16, 8, 4, 2, 3).toTensors("layers.0.mixer.");
    }

    private static SafeTensors parse(List<Tensor> t) {
        return SafeTensors.parse(SafeTensors.toBytes(t, Map.of()), "w");
    }

    @Test
    void loadsWithAPrefixAndInfersTheShape() {
        MambaWeights w = MambaWeights.from(parse(tensors()), "layers.0.mixer.");
        assertEquals(16, w.dModel);
        assertEquals(32, w.dInner);
        assertEquals(8, w.dState);
        assertEquals(4, w.dConv);
        assertEquals(1, w.dtRank);
    }

    @Test
    void missingTensorIsNamed() {
        List<Tensor> t = new ArrayList<>(tensors());
        t.removeIf(x -> x.name().endsWith("dt_proj.bias"));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> MambaWeights.from(parse(t), "layers.0.mixer."));
        assertTrue(e.getMessage().contains("layers.0.mixer.dt_proj.bias is missing"), e.getMessage());
    }

    @Test
    void wrongShapeIsNamed() {
        List<Tensor> t = new ArrayList<>(tensors());
        t.replaceAll(x -> x.name().endsWith("x_proj.weight") ? Tensor.f32(x.name(), new long[] {16, 32}, new float[16 * 32]) : x);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> MambaWeights.from(parse(t), "layers.0.mixer."));
        assertTrue(e.getMessage().contains("x_proj.weight") && e.getMessage().contains("[17, 32]"), e.getMessage());
    }

    @Test
    void nanIsNamed() {
        List<Tensor> t = new ArrayList<>(tensors());
        t.replaceAll(x -> {
            if (!x.name().endsWith("A_log")) return x;
            float[] f = x.floats().clone();
            f[5] = Float.NaN;
            return Tensor.f32(x.name(), x.shape(), f);
        });
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> MambaWeights.from(parse(t), "layers.0.mixer."));
        assertTrue(e.getMessage().contains("A_log") && e.getMessage().contains("NaN") && e.getMessage().contains("index 5"), e.getMessage());
    }
}
