package io.vigil.video.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

    @Test
    void theHeaderIsReadWithoutDecoding() {
        try (JpegCodec codec = new JpegCodec()) {
            byte[] jpeg = codec.encode(gradient(640, 480), 80);
            assertEquals(new JpegHeader(640, 480, 3), JpegHeader.read(jpeg));
            assertThrows(ImageCodecException.class, () -> JpegHeader.read(java.util.Arrays.copyOf(jpeg, 12)));
        }
    }

    /** A small JPEG whose frame header claims 30000 x 30000 is refused from its header, before anything is allocated. */
    @Test
    void aHeaderClaimingAHugePictureIsRefusedBeforeDecoding() {
        try (JpegCodec codec = new JpegCodec()) {
            byte[] jpeg = codec.encode(gradient(64, 48), 80);
            int sof = sofOffset(jpeg);
            jpeg[sof + 5] = (byte) (30000 >> 8);
            jpeg[sof + 6] = (byte) (30000 & 0xff);
            jpeg[sof + 7] = (byte) (30000 >> 8);
            jpeg[sof + 8] = (byte) (30000 & 0xff);
            assertEquals(new JpegHeader(30000, 30000, 3), JpegHeader.read(jpeg));
            // every decode, not only the detector's: the full decode (the spatiotemporal stage) and the 1/8 grey one (motion)
            for (org.junit.jupiter.api.function.Executable decode : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> codec.decodeResized(jpeg, 416, 416), () -> codec.decode(jpeg), () -> codec.decodeGreyEighth(jpeg, null))) {
                ImageCodecException e = assertThrows(ImageCodecException.class, decode);
                assertTrue(e.getMessage().contains("declares 30000x30000, over the limit"), e.getMessage());
            }
        }
    }

    private static int sofOffset(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) return i;
        }
        throw new AssertionError("no baseline frame header");
    }

    @Test
    void decodeResizedScalesInTheDctThenResizes() {
        assertEquals(1, JpegCodec.dctScale(768, 576, 416, 312), "half would be 384 wide, under 416");
        assertEquals(2, JpegCodec.dctScale(1536, 1152, 416, 312));
        assertEquals(4, JpegCodec.dctScale(1920, 1080, 416, 234), "1/4 is 480 x 270");
        assertEquals(8, JpegCodec.dctScale(3840, 2160, 416, 234));
        try (JpegCodec codec = new JpegCodec()) {
            BgrImage src = gradient(1920, 1080);
            byte[] jpeg = codec.encode(src, 90);
            BgrImage small = codec.decodeResized(jpeg, 416, 234);
            assertEquals(416, small.width());
            assertEquals(234, small.height());
            // the same picture: each pixel close to the source's at the same relative place
            double err = 0;
            for (int y = 0; y < 234; y++) {
                for (int x = 0; x < 416; x++) {
                    int sx = (int) ((x + 0.5) * 1920 / 416), sy = (int) ((y + 0.5) * 1080 / 234);
                    for (int c = 0; c < 3; c++) err += Math.abs((small.pixels()[(y * 416 + x) * 3 + c] & 0xff) - (src.pixels()[(sy * 1920 + sx) * 3 + c] & 0xff));
                }
            }
            assertTrue(err / (416 * 234 * 3) < 4, "mean abs error " + err / (416 * 234 * 3));
        }
    }
}
