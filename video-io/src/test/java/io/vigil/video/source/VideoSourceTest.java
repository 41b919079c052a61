package io.vigil.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import org.junit.jupiter.api.Test;

class VideoSourceTest {
    @Test
    void readsEveryFrameOfVtest() {
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            assertEquals(768, src.width());
            assertEquals(576, src.height());
            assertEquals(10.0, src.frameRate(), 0.01);
            long n = 0;
            while (src.next()) n++;
            assertEquals(795, n);
        }
    }

    @Test
    void encodesDownscaledJpegThatDecodesToTheSameSize() {
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000);
             JpegCodec codec = new JpegCodec()) {
            assertTrue(src.next());
            EncodedImage full = src.encodeJpeg(80, 0, 0);
            assertEquals(768, full.width());
            EncodedImage small = src.encodeJpeg(80, 384, 384);
            assertEquals(384, small.width());
            assertEquals(288, small.height());
            BgrImage back = codec.decode(small.bytes());
            assertEquals(384, back.width());
            assertEquals(288, back.height());
            BgrImage raw = src.copyBgr();
            assertEquals(768 * 576 * 3, raw.pixels().length);
        }
    }

    @Test
    void generatesTheTestPattern() {
        try (VideoSource src = VideoSource.open(SourceSpec.parse("testsrc:160x120@10"), 5_000_000)) {
            assertEquals(160, src.width());
            assertTrue(src.next());
            assertTrue(src.next());
            assertEquals(1, src.index());
        }
    }

    @Test
    void missingFileIsNamed() {
        VideoSourceException e = assertThrows(VideoSourceException.class,
                () -> VideoSource.open(SourceSpec.parse("/nonexistent/clip.mp4"), 1_000_000));
        assertTrue(e.getMessage().contains("/nonexistent/clip.mp4"), e.getMessage());
    }

    @Test
    void fileThatIsNotVideoIsNamed() throws Exception {
        java.nio.file.Path junk = java.nio.file.Files.createTempFile("vigil", ".mp4");
        java.nio.file.Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try {
            VideoSourceException e = assertThrows(VideoSourceException.class, () -> VideoSource.open(SourceSpec.parse(junk.toString()), 1_000_000));
            assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
            assertFalse(e.getMessage().isBlank());
        } finally {
            java.nio.file.Files.deleteIfExists(junk);
        }
    }
}
