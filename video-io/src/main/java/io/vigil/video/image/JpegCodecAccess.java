package io.vigil.video.image;

import org.bytedeco.opencv.opencv_core.Mat;

/** Lets other video-io packages hand OpenCV Mats to the codec without making those methods public API. */
public final class JpegCodecAccess {
    private JpegCodecAccess() {}

    public static byte[] encode(JpegCodec codec, Mat bgr, int quality) {
        return codec.encode(bgr, quality);
    }

    public static BgrImage copyOut(Mat bgr) {
        return JpegCodec.copyOut(bgr);
    }
}
