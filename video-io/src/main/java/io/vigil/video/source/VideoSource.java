package io.vigil.video.source;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.image.JpegCodecAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * One open video source, read frame by frame with FFmpeg. {@link #next()} advances; the current picture is
 * then copied out at once ({@link #encodeJpeg}, {@link #copyBgr}) because the grabber reuses its buffers.
 * Not thread-safe: one owner thread.
 */
public final class VideoSource implements AutoCloseable {
    static {
        io.vigil.video.image.NativeInit.pointer(); // before FFmpeg's libraries load: see NativeInit
        // FFmpeg's own logging goes to stderr unfiltered otherwise; errors still reach us as exceptions.
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private final SourceSpec spec;
    private final FFmpegFrameGrabber grabber;
    private final OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
    private final JpegCodec jpeg = new JpegCodec();
    private final Mat scaled = new Mat();
    private final Mat resized = new Mat();
    private final double frameRate;
    private Mat current;
    private long index = -1;

    private VideoSource(SourceSpec spec, FFmpegFrameGrabber grabber, double frameRate) {
        this.spec = spec;
        this.grabber = grabber;
        this.frameRate = frameRate;
    }

    /**
     * @param timeoutMicros network read/open timeout for URL sources
     * @throws VideoSourceException naming the source when it cannot be opened
     */
    public static VideoSource open(SourceSpec spec, long timeoutMicros) {
        FFmpegFrameGrabber g;
        switch (spec.kind()) {
            case FILE -> {
                Path p = Path.of(spec.location());
                if (!Files.exists(p)) throw new VideoSourceException("video file not found: " + p.toAbsolutePath());
                if (!Files.isReadable(p) || Files.isDirectory(p)) throw new VideoSourceException("video file is not readable: " + p.toAbsolutePath());
                // "file:" so that FFmpeg never reads a path as another protocol ("concat:...", "subfile:...")
                g = new FFmpegFrameGrabber("file:" + p.toAbsolutePath());
                g.setOption("protocol_whitelist", "file");
            }
            case TESTSRC -> {
                g = new FFmpegFrameGrabber(String.format(Locale.ROOT, "testsrc=size=%dx%d:rate=%s",
                        spec.testWidth(), spec.testHeight(), fmt(spec.testFps())));
                registerDevices();
                g.setFormat("lavfi");
            }
            case URL -> {
                g = new FFmpegFrameGrabber(spec.location());
                String loc = spec.location().toLowerCase(Locale.ROOT);
                // what the stream and anything it refers to (HLS segments, redirects) may open: never file: or concat:
                g.setOption("protocol_whitelist", SourcePolicy.ffmpegProtocols(loc.substring(0, loc.indexOf("://"))));
                if (loc.startsWith("rtsp")) {
                    g.setOption("rtsp_transport", "tcp");
                    g.setOption("timeout", Long.toString(timeoutMicros));
                } else {
                    g.setOption("rw_timeout", Long.toString(timeoutMicros));
                }
                g.setOption("analyzeduration", "500000");
            }
            default -> throw new IllegalStateException(spec.kind().toString());
        }
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(g);
            throw new VideoSourceException("cannot open video source " + spec.display() + ": "
                    + Redaction.redact(String.valueOf(e.getMessage())), null);
        }
        if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            closeQuietly(g);
            throw new VideoSourceException("video source " + spec.display() + " has no video stream");
        }
        double fps = g.getFrameRate();
        if (!(fps > 0 && fps < 1000)) fps = 25;
        return new VideoSource(spec, g, fps);
    }

    public SourceSpec spec() { return spec; }

    /** Native frame rate as the container reports it (25 when it reports none). */
    public double frameRate() { return frameRate; }

    public int width() { return grabber.getImageWidth(); }

    public int height() { return grabber.getImageHeight(); }

    /** The number of video frames the container says it holds, or -1 when it does not say (live streams). */
    public long declaredFrames() {
        int n = grabber.getLengthInVideoFrames();
        return spec.kind() == SourceSpec.Kind.FILE && n > 0 ? n : -1;
    }

    /**
     * For a file that ended: why it ended early, when it delivered fewer pictures than its container declares (FFmpeg
     * stops at a frame it cannot decode or at a cut); null when it ended where it should.
     */
    public String damage() {
        long declared = declaredFrames();
        if (declared <= 0 || index + 1 >= declared) return null;
        return "the file ended after " + index + " of its " + declared + " frames: it is damaged or truncated";
    }

    /** 0-based index of the current frame since open. */
    public long index() { return index; }

    /**
     * Advances to the next picture.
     *
     * @return false at the end of the stream, or when a network source stops delivering
     * @throws VideoSourceException on a read error
     */
    public boolean next() {
        try {
            Frame f = grabber.grabImage();
            if (f == null || f.image == null) {
                current = null;
                return false;
            }
            current = converter.convert(f);
            index++;
            return current != null;
        } catch (FrameGrabber.Exception | RuntimeException e) {
            current = null;
            throw new VideoSourceException("read error on " + spec.display() + ": " + Redaction.redact(String.valueOf(e.getMessage())), null);
        }
    }

    /** Encodes the current picture, downscaled (keeping aspect) to fit maxWidth x maxHeight when they are > 0. */
    public EncodedImage encodeJpeg(int quality, int maxWidth, int maxHeight) {
        Mat img = fitted(maxWidth, maxHeight);
        return new EncodedImage(JpegCodecAccess.encode(jpeg, img, quality), img.cols(), img.rows());
    }

    /** Copies the current picture out as BGR. */
    public BgrImage copyBgr() {
        return JpegCodecAccess.copyOut(requireCurrent());
    }

    /**
     * Copies the current picture out resized to exactly {@code width} x {@code height} (OpenCV's bilinear resize,
     * half-pixel centres, as {@code cv2.resize}), without copying the full picture out first: what a detector's
     * letterbox needs.
     */
    public BgrImage copyBgrResized(int width, int height) {
        Mat img = requireCurrent();
        if (img.cols() == width && img.rows() == height) return copyBgr();
        try (Size size = new Size(width, height)) {
            resize(img, resized, size, 0, 0, INTER_LINEAR);
        }
        return JpegCodecAccess.copyOut(resized);
    }

    private Mat fitted(int maxWidth, int maxHeight) {
        Mat img = requireCurrent();
        int w = img.cols();
        int h = img.rows();
        double r = 1.0;
        if (maxWidth > 0 && w > maxWidth) r = Math.min(r, (double) maxWidth / w);
        if (maxHeight > 0 && h > maxHeight) r = Math.min(r, (double) maxHeight / h);
        if (r >= 1.0) return img;
        // under 2x, bilinear: the published frame is then what a detector's own letterbox (cv2.resize INTER_LINEAR, as the
        // models' MODEL.md preprocess) makes of the full frame, so fitting it to the detector changes no detection; from 2x
        // on, area averaging (bilinear would skip pixels and alias), as the job's DCT-scaled decode of a full frame did
        try (Size size = new Size(Math.max(1, (int) Math.round(w * r)), Math.max(1, (int) Math.round(h * r)))) {
            resize(img, scaled, size, 0, 0, r > 0.5 ? INTER_LINEAR : INTER_AREA);
        }
        return scaled;
    }

    private Mat requireCurrent() {
        if (current == null) throw new IllegalStateException("no current frame: call next() first");
        return current;
    }

    @Override
    public void close() {
        closeQuietly(grabber);
        converter.close();
        jpeg.close();
        scaled.close();
        resized.close();
    }

    private static volatile boolean devicesRegistered;

    /** lavfi (the testsrc pattern) is a device format; libavdevice links against libpulse, so load it only here. */
    private static synchronized void registerDevices() {
        if (devicesRegistered) return;
        try {
            org.bytedeco.ffmpeg.global.avdevice.avdevice_register_all();
            devicesRegistered = true;
        } catch (LinkageError e) {
            throw new VideoSourceException("the testsrc pattern needs FFmpeg's libavdevice, which could not be loaded ("
                    + e.getMessage() + "); on Debian/Ubuntu: apt-get install libpulse0", e);
        }
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // closing a half-open grabber can fail; nothing useful to do with it
        }
    }

    private static String fmt(double fps) {
        return fps == Math.rint(fps) ? Long.toString((long) fps) : Double.toString(fps);
    }

    static {
        if (Boolean.getBoolean("vigil.ffmpeg.debug")) FFmpegLogCallback.set();
    }
}
