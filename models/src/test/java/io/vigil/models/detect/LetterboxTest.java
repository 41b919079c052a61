package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class LetterboxTest {
    @Test
    void topLeftLetterboxOfVtest() {
        Letterbox lb = Letterbox.of(768, 576, 416, 416, ResizeMode.LETTERBOX_TOPLEFT);
        assertEquals(416 / 768.0, lb.sx(), 1e-6);
        assertEquals(416, lb.resizedWidth());
        assertEquals(312, lb.resizedHeight());
        assertEquals(0, lb.padX());
        assertEquals(0, lb.padY());
        assertEquals(384f, lb.frameX(208f), 1e-3);
        assertEquals(576f, lb.frameY(400f), 1e-3); // inside the padding: clipped to the frame
    }

    @Test
    void centredLetterboxSplitsThePadding() {
        Letterbox lb = Letterbox.of(768, 576, 640, 640, ResizeMode.LETTERBOX_CENTER);
        assertEquals(640, lb.resizedWidth());
        assertEquals(480, lb.resizedHeight());
        assertEquals(80, lb.padY());
        assertEquals(0f, lb.frameY(80f), 1e-4);
        assertEquals(576f, lb.frameY(560f), 1e-3);
    }

    @Test
    void stretchScalesAxesIndependently() {
        Letterbox lb = Letterbox.of(768, 576, 352, 352, ResizeMode.STRETCH);
        assertEquals(352f / 768, lb.sx(), 1e-6);
        assertEquals(352f / 576, lb.sy(), 1e-6);
        assertEquals(768f, lb.frameX(352f), 1e-3);
        assertEquals(288f, lb.frameY(176f), 1e-3);
    }

    @Test
    void truncatesOddSizesLikeTheReference() {
        Letterbox lb = Letterbox.of(1000, 333, 416, 416, ResizeMode.LETTERBOX_TOPLEFT);
        assertEquals(416, lb.resizedWidth());
        assertEquals((int) (333 * 0.416), lb.resizedHeight());
    }

    @Test
    void preprocessorPadsNormalisesAndKeepsChannelOrder() {
        // 2x2 frame, pure blue on the left column, pure red on the right; upscaled x2 into a 4x8 input
        byte[] bgr = {(byte) 255, 0, 0, 0, 0, (byte) 255, (byte) 255, 0, 0, 0, 0, (byte) 255};
        Preprocessor bgrPre = new Preprocessor(4, 8, ResizeMode.LETTERBOX_TOPLEFT, false, 114, 1f, null, null);
        FloatBuffer dst = ByteBuffer.allocateDirect(3 * 32 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Letterbox lb = bgrPre.apply(bgr, 2, 2, dst);
        assertEquals(4, lb.resizedWidth());
        assertEquals(4, lb.resizedHeight());
        assertEquals(96, dst.position());
        assertEquals(255f, dst.get(0), 1e-4);          // channel 0 = B at top-left
        assertEquals(0f, dst.get(3), 1e-4);            // B at the right edge
        assertEquals(255f, dst.get(64 + 3), 1e-4);     // channel 2 = R at the right edge
        assertEquals(127.5f, dst.get(1) + dst.get(2) - 127.5f, 64f); // interior columns blend
        assertEquals(114f, dst.get(4 * 4), 1e-4);      // first padded row
        Preprocessor rgbPre = new Preprocessor(4, 8, ResizeMode.LETTERBOX_TOPLEFT, true, 0, 1f / 255, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.5f, 0.5f, 0.5f});
        dst.clear();
        rgbPre.apply(bgr, 2, 2, dst);
        assertEquals(-1f, dst.get(0), 1e-5);           // channel 0 = R, zero at top-left -> (0-0.5)/0.5
        assertEquals(1f, dst.get(64), 1e-5);           // channel 2 = B
        assertEquals(-1f, dst.get(16), 1e-5);          // pad 0 normalised
    }
}
