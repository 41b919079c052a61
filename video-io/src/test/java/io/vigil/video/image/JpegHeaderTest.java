package io.vigil.video.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.source.MjpegClips;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JpegHeaderTest {
    private static byte[] jpeg() {
        byte[] px = new byte[64 * 48 * 3];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 7);
        try (JpegCodec c = new JpegCodec()) {
            return c.encode(new BgrImage(64, 48, px), 80);
        }
    }

    @Test
    void readsTheSize() {
        JpegHeader h = JpegHeader.read(jpeg());
        assertEquals(64, h.width());
        assertEquals(48, h.height());
        assertEquals(3, h.components());
    }

    @Test
    void aWholeJpegIsComplete() {
        byte[] j = jpeg();
        assertTrue(JpegHeader.isComplete(j));
        assertTrue(JpegHeader.isComplete(Arrays.copyOf(j, j.length + 1)), "AVI's pad byte after the end-of-image");
    }

    @Test
    void aJpegWithoutHuffmanTablesOrItsEndIsNot() {
        byte[] j = jpeg();
        byte[] noDht = MjpegClips.withoutHuffmanTables(j);
        assertTrue(noDht.length < j.length, "the test JPEG had DHT segments to cut");
        assertEquals(64, JpegHeader.read(noDht).width(), "still a JPEG header");
        assertFalse(JpegHeader.isComplete(noDht), "no Huffman tables");
        assertFalse(JpegHeader.isComplete(Arrays.copyOf(j, j.length - 100)), "cut short: no end-of-image");
        assertFalse(JpegHeader.isComplete(Arrays.copyOfRange(j, 2, j.length)), "no start-of-image");
        assertFalse(JpegHeader.isComplete(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9}), "no frame, no scan");
        assertFalse(JpegHeader.isComplete(null));
    }
}
