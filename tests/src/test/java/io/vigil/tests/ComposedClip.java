package io.vigil.tests;

import io.vigil.video.image.BgrImage;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Ground truth the code under test did not produce: real person crops cut from vtest.avi frames, pasted onto a real
 * vtest.avi frame along scripted paths, written as an MJPEG AVI the gateway reads like any file. Where each person is
 * at each frame is the script's answer (bottom-centre of the pasted crop, pixels).
 */
final class ComposedClip {
    /** A person crop: where in which vtest.avi frame (pixels, x1 y1 x2 y2). */
    record Crop(int frame, int x1, int y1, int x2, int y2) {}

    /**
     * Four people of vtest.avi (offline YOLOX-Nano boxes of tests/labels, 3 px of margin added). Not every person is a
     * good sprite: the woman in black of frame 10 (547, 239) is not detected on the grass at all, so she is not used.
     */
    static final Crop[] PEOPLE = {
        new Crop(10, 311, 206, 361, 295), new Crop(210, 649, 291, 705, 411), new Crop(50, 669, 255, 719, 370), new Crop(50, 502, 212, 545, 311)};

    /**
     * One person on the clip: crop {@code who} with its bottom-centre at the keyframes' positions, linearly between them,
     * visible from the first keyframe's frame to the last's.
     *
     * @param keys [k][3] = frame, x, y (bottom-centre, pixels), frames increasing
     */
    record Walker(int who, double[][] keys) {
        /** [x, y] at {@code f}, or null when not on screen. */
        double[] at(int f) {
            if (f < keys[0][0] || f > keys[keys.length - 1][0]) return null;
            for (int i = 1; i < keys.length; i++) {
                if (f <= keys[i][0]) {
                    double t = (f - keys[i - 1][0]) / (keys[i][0] - keys[i - 1][0]);
                    return new double[] {keys[i - 1][1] + t * (keys[i][1] - keys[i - 1][1]), keys[i - 1][2] + t * (keys[i][2] - keys[i - 1][2])};
                }
            }
            return new double[] {keys[0][1], keys[0][2]};
        }
    }

    private ComposedClip() {}

    /** Writes {@code frames} frames at {@code fps} to {@code out}: vtest.avi frame {@code backgroundFrame} with the walkers on it. */
    static void write(Path vtest, int backgroundFrame, List<Walker> walkers, int frames, double fps, Path out) throws Exception {
        List<BgrImage> source = new ArrayList<>();
        int needed = backgroundFrame;
        for (Crop c : PEOPLE) needed = Math.max(needed, c.frame());
        try (VideoSource v = VideoSource.open(SourceSpec.parse(vtest.toString()), 5_000_000)) {
            while (source.size() <= needed && v.next()) source.add(v.copyBgr());
        }
        BgrImage bg = source.get(backgroundFrame);
        int w = bg.width(), h = bg.height();
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
            rec.setFormat("avi");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
            rec.setFrameRate(fps);
            rec.setVideoQuality(2); // q:v 2: near-lossless, so the pasted people look like the real ones
            rec.start();
            byte[] canvas = new byte[w * h * 3];
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            for (int f = 0; f < frames; f++) {
                System.arraycopy(bg.pixels(), 0, canvas, 0, canvas.length);
                for (Walker k : walkers) {
                    double[] p = k.at(f);
                    if (p == null) continue;
                    Crop c = PEOPLE[k.who()];
                    paste(source.get(c.frame()), c, canvas, w, h, (int) Math.round(p[0]), (int) Math.round(p[1]));
                }
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                int stride = frame.imageStride;
                for (int y = 0; y < h; y++) {
                    buf.position(y * stride);
                    buf.put(canvas, y * w * 3, w * 3);
                }
                buf.rewind();
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
    }

    /** Copies the crop so that its bottom-centre lands on (cx, bottom), clipped to the frame. */
    private static void paste(BgrImage src, Crop c, byte[] dst, int w, int h, int cx, int bottom) {
        int cw = c.x2() - c.x1(), ch = c.y2() - c.y1();
        int x0 = cx - cw / 2, y0 = bottom - ch;
        for (int y = 0; y < ch; y++) {
            int dy = y0 + y;
            if (dy < 0 || dy >= h) continue;
            for (int x = 0; x < cw; x++) {
                int dx = x0 + x;
                if (dx < 0 || dx >= w) continue;
                int s = ((c.y1() + y) * src.width() + c.x1() + x) * 3;
                int d = (dy * w + dx) * 3;
                dst[d] = src.pixels()[s];
                dst[d + 1] = src.pixels()[s + 1];
                dst[d + 2] = src.pixels()[s + 2];
            }
        }
    }
}
