package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.bundle.ModelException;
import org.junit.jupiter.api.Test;

class YoloxDecoderTest {
    // A 64x64 input with strides 8, 16, 32: 64 + 16 + 4 = 84 rows; 2 classes -> 7 values per row.
    private static final int W = 7;

    @Test
    void decodesGridCellsOfEveryStride() {
        YoloxDecoder dec = new YoloxDecoder("output", new int[] {8, 16, 32}, 64, 64);
        assertEquals(84, dec.rows());
        float[] out = new float[84 * W];
        // stride 8, cell (gx=3, gy=2) -> row 2*8+3 = 19; class 1
        set(out, 19, 0.5f, 0.5f, 0f, (float) Math.log(2), 0.9f, 0.1f, 0.8f);
        // stride 32, cell (gx=1, gy=0) -> row 64 + 16 + 1 = 81; class 0
        set(out, 81, 0f, 0f, (float) Math.log(0.5), (float) Math.log(0.5), 0.5f, 0.9f, 0.2f);
        // below threshold: obj 0.9 * cls 0.3
        set(out, 5, 0f, 0f, 0f, 0f, 0.9f, 0.3f, 0.1f);
        Letterbox lb = Letterbox.of(128, 96, 64, 64, ResizeMode.LETTERBOX_TOPLEFT); // r = 0.5
        Candidates c = new Candidates();
        dec.decode(new RawOutputs().put("output", out, new long[] {1, 84, W}), 0, lb, 0.3f, c);
        assertEquals(2, c.size());
        // row 19: cx = 3.5*8 = 28, cy = 2.5*8 = 20, w = 8, h = 16 -> input (24,12,32,28) -> frame /0.5
        assertEquals(1, c.classId[0]);
        assertEquals(0.72f, c.score[0], 1e-6);
        assertEquals(48f, c.x1[0], 1e-4);
        assertEquals(24f, c.y1[0], 1e-4);
        assertEquals(64f, c.x2[0], 1e-4);
        assertEquals(56f, c.y2[0], 1e-4);
        // row 81: cx = 1*32 = 32, cy = 0, w = h = 16 -> input (24,-8,40,8) -> frame (48,0 clipped,80,16)
        assertEquals(0, c.classId[1]);
        assertEquals(0.45f, c.score[1], 1e-6);
        assertEquals(48f, c.x1[1], 1e-4);
        assertEquals(0f, c.y1[1], 1e-4);
        assertEquals(80f, c.x2[1], 1e-4);
        assertEquals(16f, c.y2[1], 1e-4);
    }

    @Test
    void shapeChecksNameTheProblem() {
        YoloxDecoder dec = new YoloxDecoder("output", new int[] {8, 16, 32}, 416, 416);
        dec.checkShapes(java.util.Map.of("output", new long[] {1, 3549, 85}), 80);
        dec.checkShapes(java.util.Map.of("output", new long[] {-1, 3549, 85}), 80);
        ModelException rows = assertThrows(ModelException.class, () -> dec.checkShapes(java.util.Map.of("output", new long[] {1, 8400, 85}), 80));
        assertTrue(rows.getMessage().contains("3549"), rows.getMessage());
        ModelException labels = assertThrows(ModelException.class, () -> dec.checkShapes(java.util.Map.of("output", new long[] {1, 3549, 85}), 3));
        assertTrue(labels.getMessage().contains("80 classes") && labels.getMessage().contains("3"), labels.getMessage());
    }

    private static void set(float[] out, int row, float... v) {
        System.arraycopy(v, 0, out, row * W, v.length);
    }
}
