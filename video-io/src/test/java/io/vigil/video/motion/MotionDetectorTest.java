package io.vigil.video.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.image.JpegCodec;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MotionDetectorTest {
    private static final int W = 96, H = 72;

    private static byte[] still(long seed) {
        byte[] g = new byte[W * H];
        Random r = new Random(seed);
        for (int i = 0; i < g.length; i++) g[i] = (byte) (100 + r.nextInt(5)); // sensor noise of a few levels
        return g;
    }

    private static byte[] withBlock(byte[] base, int x0, int y0, int size) {
        byte[] g = base.clone();
        for (int y = y0; y < y0 + size; y++) for (int x = x0; x < x0 + size; x++) g[y * W + x] = (byte) 220;
        return g;
    }

    @Test
    void aStillSceneIsQuietAfterWarmUpAndAMovingBlockIsMotion() {
        MotionDetector d = new MotionDetector(MotionDetector.Settings.defaults());
        MotionDetector.State st = new MotionDetector.State();
        for (int i = 0; i < 5; i++) assertTrue(d.update(st, still(i), W, H, null).warmingUp(), "frame " + i + " builds the background");
        for (int i = 5; i < 20; i++) assertFalse(d.update(st, still(i), W, H, null).motion(), "noise below the threshold");
        MotionDetector.Result r = d.update(st, withBlock(still(20), 10, 10, 6), W, H, null);
        assertTrue(r.motion());
        assertEquals(1, r.regions());
        assertEquals(36.0 / (W * H), r.movingFraction(), 1e-3);
        // a single moving pixel is under minArea (0.1 % of 6,912 pixels = 7)
        assertFalse(d.update(st, withBlock(still(21), 50, 50, 1), W, H, null).motion());
    }

    @Test
    void motionInsideTheMaskDoesNotCount() {
        MotionDetector d = new MotionDetector(MotionDetector.Settings.defaults());
        MotionDetector.State st = new MotionDetector.State();
        boolean[] mask = MotionMask.rasterize(MotionMask.parse("0,0 0.5,0 0.5,0.5 0,0.5"), W, H); // the top-left quarter: a tree
        for (int i = 0; i < 10; i++) d.update(st, still(i), W, H, mask);
        assertFalse(d.update(st, withBlock(still(10), 5, 5, 10), W, H, mask).motion(), "the tree waves");
        assertTrue(d.update(st, withBlock(still(11), 70, 50, 10), W, H, mask).motion(), "someone walks elsewhere");
    }

    @Test
    void oneDetectorServesManyCamerasEachWithItsState() {
        MotionDetector d = new MotionDetector(MotionDetector.Settings.defaults());
        MotionDetector.State a = new MotionDetector.State(), b = new MotionDetector.State();
        for (int i = 0; i < 10; i++) {
            d.update(a, still(i), W, H, null);
            d.update(b, withBlock(still(i), 0, 0, 20), W, H, null); // b's background has the block
        }
        assertFalse(d.update(b, withBlock(still(10), 0, 0, 20), W, H, null).motion(), "b: the block is background");
        assertTrue(d.update(a, withBlock(still(10), 0, 0, 20), W, H, null).motion(), "a: the block is new");
    }

    @Test
    void onRealVideoWalkersMoveAndARepeatedFrameDoesNot() throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; i < 20 && src.next(); i++) jpegs.add(src.encodeJpeg(80, 0, 0).bytes());
        }
        MotionDetector d = new MotionDetector(MotionDetector.Settings.defaults());
        MotionDetector.State still = new MotionDetector.State(), walking = new MotionDetector.State();
        try (JpegCodec codec = new JpegCodec()) {
            JpegCodec.GreyImage g0 = codec.decodeGreyEighth(jpegs.get(0), null);
            assertEquals(96, g0.width(), "768 / 8");
            assertEquals(72, g0.height(), "576 / 8");
            int stillMotion = 0, walkingMotion = 0;
            for (int i = 0; i < 20; i++) {
                JpegCodec.GreyImage g = codec.decodeGreyEighth(jpegs.get(0), null);
                if (d.update(still, g.pixels(), g.width(), g.height(), null).motion() && i >= 5) stillMotion++;
                JpegCodec.GreyImage m = codec.decodeGreyEighth(jpegs.get(i), null);
                if (d.update(walking, m.pixels(), m.width(), m.height(), null).motion() && i >= 5) walkingMotion++;
            }
            assertEquals(0, stillMotion, "the same frame again and again");
            assertEquals(15, walkingMotion, "vtest.avi: people walk in every frame");
        }
    }
}
