package io.vigil.video.source;

import io.vigil.video.image.NativeInit;

/**
 * The native libraries a {@link VideoSource} needs (FFmpeg, OpenCV), loaded on a thread of their own before a camera's
 * thread, which its gateway interrupts to stop it, touches them: see {@link NativeInit#loadOffThread}. This class
 * names them as strings so that calling it loads nothing on the caller's thread.
 */
public final class SourceNatives {
    private SourceNatives() {}

    /** FFmpeg's and OpenCV's libraries, and the classes of Vigil that hold them, initialized once. */
    public static void load() throws InterruptedException {
        NativeInit.loadOffThread("org.bytedeco.ffmpeg.global.avutil", "org.bytedeco.ffmpeg.global.swresample",
                "org.bytedeco.ffmpeg.global.avcodec", "org.bytedeco.ffmpeg.global.avformat", "org.bytedeco.ffmpeg.global.swscale",
                "org.bytedeco.javacv.FFmpegFrameGrabber", "org.bytedeco.opencv.global.opencv_core", "org.bytedeco.opencv.global.opencv_imgproc",
                "org.bytedeco.javacv.OpenCVFrameConverter", "io.vigil.video.image.JpegCodec", "io.vigil.video.source.VideoSource");
    }

    /** FFmpeg's device library (the testsrc pattern's lavfi), which the other sources never load. */
    static void loadDevices() throws InterruptedException {
        NativeInit.loadOffThread("org.bytedeco.ffmpeg.global.avdevice");
    }
}
