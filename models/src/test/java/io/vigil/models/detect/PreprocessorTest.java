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
}
