package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
    /**
     * A frame already resized to its letterbox's size (as the job's Detect decodes it) fills the input exactly as the
     * same pixels given as a frame of that size, and its boxes map back to the pixels of the original frame.
     */
    @Test
    void aFrameResizedForTheInputIsOnlyPaddedAndConvertedAndMapsBackToTheFrame() {
        Preprocessor p = new Preprocessor(416, 416, ResizeMode.LETTERBOX_CENTER, true, 114, 1f / 255, null, null);
        assertArrayEquals(new int[] {416, 312}, p.resizedSize(832, 624));
        byte[] small = new byte[416 * 312 * 3];
        for (int i = 0; i < small.length; i++) small[i] = (byte) (i * 31 % 251);
        FloatBuffer a = FloatBuffer.allocate(3 * 416 * 416), b = FloatBuffer.allocate(3 * 416 * 416);
        Letterbox asFrame = p.apply(FrameInput.of(small, 416, 312), a);
        Letterbox resized = p.apply(FrameInput.resized(small, 416, 312, 832, 624), b);
        assertArrayEquals(a.array(), b.array(), "the same input");
        assertEquals(3 * 416 * 416, b.position());
        assertEquals(100, asFrame.frameX(100), 1e-3);
        assertEquals(200, resized.frameX(100), 1e-3, "input x 100 is frame x 200 of the 832-wide frame");
        assertEquals(2 * (200 - resized.padY()), resized.frameY(200), 1e-3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.apply(FrameInput.resized(small, 416, 312, 800, 624), FloatBuffer.allocate(3 * 416 * 416)));
        assertTrue(e.getMessage().contains("resized for this input is 416x324"), e.getMessage());
    }

    /** What the input must hold, pixel by pixel, for a frame at its letterbox's own size (centred, RGB, 1/255). */
    private static float[] reference(byte[] bgr, int w, int h) {
        float[] want = new float[3 * 416 * 416]; // [3][416][416]
        int padX = (416 - w) / 2, padY = (416 - h) / 2;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 416; y++) {
                for (int x = 0; x < 416; x++) {
                    boolean inside = x >= padX && x < padX + w && y >= padY && y < padY + h;
                    int v = inside ? bgr[((y - padY) * w + (x - padX)) * 3 + (2 - c)] & 0xff : 114;
                    want[(c * 416 + y) * 416 + x] = v * (1f / 255);
                }
            }
        }
        return want;
    }

    private static byte[] pixels(int w, int h, int seed) {
        byte[] b = new byte[w * h * 3];
        for (int i = 0; i < b.length; i++) b[i] = (byte) ((i * 31 + seed) % 251);
        return b;
    }

    /**
     * A frame at the letterbox's own size takes the conversion alone (no identity resize), with the scalar reference's
     * values; the padding is written once per buffer slot and geometry, and rewritten when the geometry changes: the
     * same reused buffer, fed landscape, portrait, landscape again, holds exactly the reference each time.
     */
    @Test
    void theReusedBufferHoldsTheReferenceWhateverTheOrderOfGeometries() {
        Preprocessor p = new Preprocessor(416, 416, ResizeMode.LETTERBOX_CENTER, true, 114, 1f / 255, null, null);
        FloatBuffer reused = FloatBuffer.allocate(2 * 3 * 416 * 416); // [2 slots][3][416][416]
        int[][] sizes = {{416, 312}, {312, 416}, {416, 312}, {416, 416}, {416, 234}, {416, 234}};
        for (int i = 0; i < sizes.length; i++) {
            int w = sizes[i][0], h = sizes[i][1];
            byte[] bgr = pixels(w, h, i);
            for (int slot = 0; slot < 2; slot++) {
                reused.position(slot * 3 * 416 * 416);
                p.apply(FrameInput.of(bgr, w, h), reused);
                float[] got = java.util.Arrays.copyOfRange(reused.array(), slot * 3 * 416 * 416, (slot + 1) * 3 * 416 * 416);
                assertArrayEquals(reference(bgr, w, h), got, "frame " + i + " (" + w + "x" + h + ") in slot " + slot);
            }
        }
    }
}
