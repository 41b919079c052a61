package io.vigil.video.source;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.image.JpegCodecAccess;
import io.vigil.video.image.JpegHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
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
 *
 * <p>A source opened with {@link #openForJpeg} whose pictures are already JPEG (MJPEG over HTTP, JPEG snapshots, MJPEG
 * files) and fit the box asked for is read packet by packet: FFmpeg never decodes it, and {@link #encodeJpeg} hands
 * out the camera's own JPEG, so a gateway spends a packet copy on such a frame instead of a decode and an encode.
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
    /** The video stream's index when the source is read as JPEG packets; -1 when FFmpeg decodes it. */
    private final int jpegStream;
    private Mat current;
    /** The current picture as the camera encoded it (packet mode), exactly its bytes. */
    private byte[] packet;
    private long index = -1;
    private long skippedPackets;

    private VideoSource(SourceSpec spec, FFmpegFrameGrabber grabber, double frameRate, int jpegStream) {
        this.spec = spec;
        this.grabber = grabber;
        this.frameRate = frameRate;
        this.jpegStream = jpegStream;
    }

    /**
     * @param timeoutMicros network read/open timeout for URL sources
     * @throws VideoSourceException naming the source when it cannot be opened
     */
    public static VideoSource open(SourceSpec spec, long timeoutMicros) {
        return open(spec, timeoutMicros, -1, -1);
    }

    /**
     * Opens a source to be published as JPEGs fitted into {@code maxWidth} x {@code maxHeight} (0: no limit on that
     * side). When the source is MJPEG and its pictures already fit, they are read as packets and published as they
     * come ({@link #passesJpegThrough()}); otherwise as {@link #open(SourceSpec, long)}.
     */
    public static VideoSource openForJpeg(SourceSpec spec, long timeoutMicros, int maxWidth, int maxHeight) {
        return open(spec, timeoutMicros, Math.max(0, maxWidth), Math.max(0, maxHeight));
    }

    private static VideoSource open(SourceSpec spec, long timeoutMicros, int jpegMaxWidth, int jpegMaxHeight) {
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
        int jpegStream = -1;
        if (jpegMaxWidth >= 0 && g.getVideoCodec() == avcodec.AV_CODEC_ID_MJPEG
                && fits(g.getImageWidth(), g.getImageHeight(), jpegMaxWidth, jpegMaxHeight)) {
            jpegStream = videoStream(g);
        }
        return new VideoSource(spec, g, fps, jpegStream);
    }

    /** The index of the stream the grabber decodes: its first video stream, as FFmpegFrameGrabber picks it. */
    private static int videoStream(FFmpegFrameGrabber g) {
        var oc = g.getFormatContext();
        for (int i = 0; i < oc.nb_streams(); i++) {
            if (oc.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) return i;
        }
        return -1;
    }

    private static boolean fits(int w, int h, int maxWidth, int maxHeight) {
        return (maxWidth <= 0 || w <= maxWidth) && (maxHeight <= 0 || h <= maxHeight);
    }

    /** Whether pictures are read as the camera's own JPEGs (see {@link #openForJpeg}). */
    public boolean passesJpegThrough() { return jpegStream >= 0; }

    /** Packets of the video stream passed over because they were not a JPEG (packet mode only). */
    public long skippedPackets() { return skippedPackets; }

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
        if (jpegStream >= 0) return nextPacket();
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

    /**
     * The next JPEG of the video stream, copied out of FFmpeg's packet (which it reuses). A packet that is not a JPEG
     * with its Huffman tables (AVI's "AVI1" MJPEG may leave them out, and a browser or another decoder then cannot
     * read it) is passed over and counted: publishing it would hand every consumer a picture it cannot show.
     */
    private boolean nextPacket() {
        try {
            while (true) {
                AVPacket p = grabber.grabPacket();
                if (p == null) {
                    packet = null;
                    return false;
                }
                byte[] bytes = null;
                try {
                    if (p.stream_index() == jpegStream && p.size() > 0) {
                        bytes = new byte[p.size()];
                        p.data().get(bytes, 0, bytes.length);
                    }
                } finally {
                    avcodec.av_packet_unref(p); // av_read_frame does not release the previous packet's buffer
                }
                if (bytes == null) continue; // audio, data streams
                if (!JpegHeader.isComplete(bytes)) {
                    skippedPackets++;
                    continue;
                }
                packet = bytes;
                index++;
                return true;
            }
        } catch (FrameGrabber.Exception | RuntimeException e) {
            packet = null;
            throw new VideoSourceException("read error on " + spec.display() + ": " + Redaction.redact(String.valueOf(e.getMessage())), null);
        }
    }

    /**
     * Encodes the current picture, downscaled (keeping aspect) to fit maxWidth x maxHeight when they are > 0. In packet
     * mode a picture that fits is the camera's own JPEG, as it came ({@code quality} does not apply); one that does not
     * (the camera changed its size) is decoded at the fitted size and encoded.
     */
    public EncodedImage encodeJpeg(int quality, int maxWidth, int maxHeight) {
        if (jpegStream >= 0) {
            byte[] bytes = requirePacket();
            JpegHeader h = JpegHeader.read(bytes);
            if (fits(h.width(), h.height(), maxWidth, maxHeight)) return new EncodedImage(bytes, h.width(), h.height(), true);
            int[] size = fittedSize(h.width(), h.height(), maxWidth, maxHeight);
            return new EncodedImage(jpeg.encode(decodePacket(bytes, size[0], size[1]), quality), size[0], size[1]);
        }
        Mat img = fitted(maxWidth, maxHeight);
        return new EncodedImage(JpegCodecAccess.encode(jpeg, img, quality), img.cols(), img.rows());
    }

    /** Copies the current picture out as BGR. */
    public BgrImage copyBgr() {
        if (jpegStream >= 0) {
            byte[] bytes = requirePacket();
            JpegHeader h = JpegHeader.read(bytes);
            return decodePacket(bytes, h.width(), h.height());
        }
        return JpegCodecAccess.copyOut(requireCurrent());
    }

    /**
     * Copies the current picture out resized to exactly {@code width} x {@code height} (OpenCV's bilinear resize,
     * half-pixel centres, as {@code cv2.resize}), without copying the full picture out first: what a detector's
     * letterbox needs.
     */
    public BgrImage copyBgrResized(int width, int height) {
        if (jpegStream >= 0) return decodePacket(requirePacket(), width, height);
        Mat img = requireCurrent();
        if (img.cols() == width && img.rows() == height) return copyBgr();
        try (Size size = new Size(width, height)) {
            resize(img, resized, size, 0, 0, INTER_LINEAR);
        }
        return JpegCodecAccess.copyOut(resized);
    }

    private BgrImage decodePacket(byte[] bytes, int width, int height) {
        try {
            return jpeg.decodeResized(bytes, width, height);
        } catch (ImageCodecException e) {
            throw new VideoSourceException("frame " + index + " of " + spec.display() + " is not a decodable JPEG: " + e.getMessage());
        }
    }

    private static double fitRatio(int w, int h, int maxWidth, int maxHeight) {
        double r = 1.0;
        if (maxWidth > 0 && w > maxWidth) r = Math.min(r, (double) maxWidth / w);
        if (maxHeight > 0 && h > maxHeight) r = Math.min(r, (double) maxHeight / h);
        return r;
    }

    private static int[] fittedSize(int w, int h, int maxWidth, int maxHeight) {
        double r = fitRatio(w, h, maxWidth, maxHeight);
        return new int[] {Math.max(1, (int) Math.round(w * r)), Math.max(1, (int) Math.round(h * r))};
    }

    private Mat fitted(int maxWidth, int maxHeight) {
        Mat img = requireCurrent();
        int w = img.cols();
        int h = img.rows();
        double r = fitRatio(w, h, maxWidth, maxHeight);
        if (r >= 1.0) return img;
        // under 2x, bilinear: the published frame is then what a detector's own letterbox (cv2.resize INTER_LINEAR, as the
        // models' MODEL.md preprocess) makes of the full frame, so fitting it to the detector changes no detection; from 2x
        // on, area averaging (bilinear would skip pixels and alias), as the job's DCT-scaled decode of a full frame did
        try (Size size = new Size(Math.max(1, (int) Math.round(w * r)), Math.max(1, (int) Math.round(h * r)))) {
            resize(img, scaled, size, 0, 0, r > 0.5 ? INTER_LINEAR : INTER_AREA);
        }
        return scaled;
    }

    private byte[] requirePacket() {
        if (packet == null) throw new IllegalStateException("no current frame: call next() first");
        return packet;
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
            SourceNatives.loadDevices();
            org.bytedeco.ffmpeg.global.avdevice.avdevice_register_all();
            devicesRegistered = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VideoSourceException("interrupted while FFmpeg's device library loaded (the camera is stopping)", e);
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
