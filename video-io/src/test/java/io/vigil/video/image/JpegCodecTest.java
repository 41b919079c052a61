package io.vigil.video.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JpegCodecTest {
    private static BgrImage gradient(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (x * 255 / w);
                px[i + 1] = (byte) (y * 255 / h);
                px[i + 2] = (byte) 128;
            }
        }
        return new BgrImage(w, h, px);
    }

    @Test
    void encodeDecodeRoundTripIsClose() {
        BgrImage img = gradient(64, 48);
        try (JpegCodec codec = new JpegCodec()) {
            byte[] jpeg = codec.encode(img, 95);
            assertEquals((byte) 0xff, jpeg[0]);
            assertEquals((byte) 0xd8, jpeg[1]);
            BgrImage back = codec.decode(jpeg);
            assertEquals(64, back.width());
            assertEquals(48, back.height());
            double err = 0;
            for (int i = 0; i < img.pixels().length; i++) err += Math.abs((img.pixels()[i] & 0xff) - (back.pixels()[i] & 0xff));
            assertTrue(err / img.pixels().length < 3.0, "mean abs error " + err / img.pixels().length);
            // the codec reuses its buffers: a second, larger image still decodes right
            BgrImage big = codec.decode(codec.encode(gradient(640, 480), 80));
            assertEquals(640, big.width());
        }
    }

    @Test
    void corruptBytesGiveATypedError() {
        try (JpegCodec codec = new JpegCodec()) {
            ImageCodecException e = assertThrows(ImageCodecException.class, () -> codec.decode(new byte[] {1, 2, 3, 4, 5}));
            assertTrue(e.getMessage().contains("not a JPEG"), e.getMessage());
            assertThrows(ImageCodecException.class, () -> codec.decode(new byte[0]));
        }
    }

    @Test
    void truncatedJpegIsNotAFrameOfGarbageSilently() {
        try (JpegCodec codec = new JpegCodec()) {
            byte[] jpeg = codec.encode(gradient(64, 48), 90);
            byte[] head = java.util.Arrays.copyOf(jpeg, 20);
            assertThrows(ImageCodecException.class, () -> codec.decode(head));
            // cut near the end: libjpeg alone would return the picture with grey rows
            byte[] most = java.util.Arrays.copyOf(jpeg, jpeg.length * 9 / 10);
            assertTrue(assertThrows(ImageCodecException.class, () -> codec.decode(most)).getMessage().contains("truncated JPEG"));
            byte[] padded = java.util.Arrays.copyOf(jpeg, jpeg.length + 3); // trailing zero padding is fine
            assertEquals(64, codec.decode(padded).width());
        }
    }
}
