package io.vigil.video.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * JPEG to and from {@link BgrImage} with OpenCV's codec. One instance per thread: it keeps its native
 * buffers between calls so the per-frame path allocates only the returned Java array.
 */
public final class JpegCodec implements AutoCloseable {
    static {
        NativeInit.pointer(); // before OpenCV's libraries load: see NativeInit
    }

    /** Largest picture any decode accepts; a frame header declaring more is refused from its bytes, before decoding. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    private BytePointer input = new BytePointer(256 * 1024);
    private final BytePointer encoded = new BytePointer();
    private final Mat decoded = new Mat();
    private final Mat resized = new Mat();

    /**
     * @throws ImageCodecException when the bytes are not a decodable image
     */
    public BgrImage decode(byte[] jpeg) {
        checkJpeg(jpeg);
        input.position(0).put(jpeg, 0, jpeg.length);
        try (Mat buf = new Mat(1, jpeg.length, CV_8UC1, input)) {
            try (Mat img = imdecode(buf, IMREAD_COLOR)) {
                if (img == null || img.empty()) {
                    throw new ImageCodecException("not a decodable image (" + jpeg.length + " bytes, starts "
                            + String.format("%02x%02x", jpeg[0], jpeg.length > 1 ? jpeg[1] : 0) + ")");
                }
                return copyOut(img);
            }
        } catch (RuntimeException e) {
            if (e instanceof ImageCodecException) throw e;
            throw new ImageCodecException("not a decodable image (" + jpeg.length + " bytes): " + e.getMessage());
        }
    }

    /**
     * Decodes a JPEG straight to {@code width} x {@code height} BGR: libjpeg scales in the DCT to the largest 1/2, 1/4
     * or 1/8 that is still at least that size (it never builds the full picture then), and OpenCV's SIMD bilinear
     * resize (half-pixel centres, as {@code cv2.resize}) takes it the rest of the way. What a detector's input needs,
     * at a fraction of a full decode and resize. The size is read from the JPEG's header first, so a picture over
     * {@link #MAX_PIXELS} is refused before anything is allocated.
     *
     * @throws ImageCodecException when the bytes are not a decodable image
     */
    public BgrImage decodeResized(byte[] jpeg, int width, int height) {
        return decodeResized(jpeg, width, height, null);
    }

    /** The same, writing the pixels into {@code into} when it is exactly {@code width * height * 3} bytes (a pooled array). */
    public BgrImage decodeResized(byte[] jpeg, int width, int height, byte[] into) {
        checkJpeg(jpeg);
        JpegHeader h = JpegHeader.read(jpeg);
        int scale = dctScale(h.width(), h.height(), width, height);
        int flag = switch (scale) {
            case 8 -> IMREAD_REDUCED_COLOR_8;
            case 4 -> IMREAD_REDUCED_COLOR_4;
            case 2 -> IMREAD_REDUCED_COLOR_2;
            default -> IMREAD_COLOR;
        };
        input.position(0).put(jpeg, 0, jpeg.length);
        try (Mat buf = new Mat(1, jpeg.length, CV_8UC1, input); Mat img = imdecode(buf, flag)) {
            if (img == null || img.empty()) throw new ImageCodecException("not a decodable image (" + jpeg.length + " bytes)");
            if (img.cols() == width && img.rows() == height) return copyOut(img, into);
            try (Size size = new Size(width, height)) {
                resize(img, resized, size, 0, 0, INTER_LINEAR);
            }
            return copyOut(resized, into);
        } catch (RuntimeException e) {
            if (e instanceof ImageCodecException) throw e;
            throw new ImageCodecException("not a decodable image (" + jpeg.length + " bytes): " + e.getMessage());
        }
    }

    /** The largest DCT scale (1, 2, 4 or 8) whose output, ceil(size / scale), still covers {@code w} x {@code h}. */
    static int dctScale(int srcW, int srcH, int w, int h) {
        for (int s = 8; s > 1; s /= 2) {
            if ((srcW + s - 1) / s >= w && (srcH + s - 1) / s >= h) return s;
        }
        return 1;
    }

    /** A greyscale picture at a reduced size: [h*w] grey levels, row-major (pixels may be longer than w*h when reused). */
    public record GreyImage(int width, int height, byte[] pixels) {}

    /**
     * Decodes a JPEG at one eighth of its width and height in grey levels, which libjpeg does by scaling in the DCT
     * (it never builds the full-size picture): what a motion detector needs at a fraction of a full decode's cost.
     *
     * @param reuse an array to write the pixels into when it is large enough, or null
     * @throws ImageCodecException when the bytes are not a decodable image
     */
    public GreyImage decodeGreyEighth(byte[] jpeg, byte[] reuse) {
        checkJpeg(jpeg);
        input.position(0).put(jpeg, 0, jpeg.length);
        try (Mat buf = new Mat(1, jpeg.length, CV_8UC1, input); Mat img = imdecode(buf, IMREAD_REDUCED_GRAYSCALE_8)) {
            if (img == null || img.empty() || img.type() != CV_8UC1) throw new ImageCodecException("not a decodable image (" + jpeg.length + " bytes)");
            int w = img.cols(), h = img.rows();
            byte[] out = reuse != null && reuse.length >= w * h ? reuse : new byte[w * h];
            if (img.isContinuous()) img.data().position(0).get(out, 0, w * h);
            else for (int y = 0; y < h; y++) img.data().position(y * img.step()).get(out, y * w, w);
            return new GreyImage(w, h, out);
        } catch (RuntimeException e) {
            if (e instanceof ImageCodecException) throw e;
            throw new ImageCodecException("not a decodable image (" + jpeg.length + " bytes): " + e.getMessage());
        }
    }

    /**
     * The checks every decode makes first, on the bytes alone: a JPEG, whole, and a frame header within {@link #MAX_PIXELS}
     * (a few hundred bytes can declare 30000 x 30000, which libjpeg would try to allocate as 2.7 GB before finding the
     * data missing). Leaves the input buffer large enough for the bytes.
     */
    private void checkJpeg(byte[] jpeg) {
        if (jpeg == null || jpeg.length == 0) throw new ImageCodecException("image bytes are empty");
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new ImageCodecException("not a JPEG (" + jpeg.length + " bytes, no start-of-image marker)");
        }
        int end = jpeg.length;
        while (end > 2 && jpeg[end - 1] == 0) end--; // some encoders pad
        if ((jpeg[end - 2] & 0xff) != 0xff || (jpeg[end - 1] & 0xff) != 0xd9) {
            // libjpeg would fill the missing rows with grey and call it a picture
            throw new ImageCodecException("truncated JPEG (" + jpeg.length + " bytes, no end-of-image marker)");
        }
        JpegHeader h = JpegHeader.read(jpeg);
        if (h.pixels() > MAX_PIXELS) {
            throw new ImageCodecException("JPEG declares " + h.width() + "x" + h.height() + ", over the limit of " + MAX_PIXELS + " pixels: not decoded");
        }
        if (input.capacity() < jpeg.length) {
            input.close();
            input = new BytePointer(Math.max(jpeg.length, input.capacity() * 2));
        }
    }

    public byte[] encode(BgrImage image, int quality) {
        try (BytePointer data = new BytePointer(image.pixels());
             Mat mat = new Mat(image.height(), image.width(), CV_8UC3, data)) {
            return encode(mat, quality);
        }
    }

    /** Encodes an 8-bit BGR Mat; package-private so JavaCV types stay inside video-io. */
    byte[] encode(Mat bgr, int quality) {
        if (quality < 1 || quality > 100) throw new IllegalArgumentException("JPEG quality must be 1..100: " + quality);
        try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", bgr, encoded, params)) throw new ImageCodecException("JPEG encode failed");
        }
        long n = encoded.limit() > 0 ? encoded.limit() : encoded.capacity();
        byte[] out = new byte[(int) n];
        encoded.position(0).get(out);
        return out;
    }

    static BgrImage copyOut(Mat img) {
        return copyOut(img, null);
    }

    static BgrImage copyOut(Mat img, byte[] into) {
        int w = img.cols();
        int h = img.rows();
        if ((long) w * h > MAX_PIXELS) throw new ImageCodecException("image " + w + "x" + h + " is larger than " + MAX_PIXELS + " pixels");
        if (img.type() != CV_8UC3) throw new ImageCodecException("expected 8-bit BGR, got OpenCV type " + img.type());
        byte[] pixels = into != null && into.length == w * h * 3 ? into : new byte[w * h * 3];
        if (img.isContinuous()) {
            img.data().position(0).get(pixels);
        } else {
            long step = img.step();
            BytePointer p = img.data();
            for (int y = 0; y < h; y++) p.position(y * step).get(pixels, y * w * 3, w * 3);
        }
        return new BgrImage(w, h, pixels);
    }

    @Override
    public void close() {
        input.close();
        encoded.close();
        decoded.close();
        resized.close();
    }
}
