package io.vigil.video.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.getTextSize;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** Still images on disk: read any format OpenCV reads, write PNG/JPEG, draw labelled boxes. */
public final class ImageFiles {
    static {
        NativeInit.pointer(); // before OpenCV's libraries load: see NativeInit
    }

    private ImageFiles() {}

    /** A box to draw, in pixels of the image. */
    public record Overlay(double x1, double y1, double x2, double y2, String text) {}

    public static BgrImage read(Path path) {
        if (!Files.isRegularFile(path)) throw new ImageCodecException("image file not found: " + path);
        try (Mat img = imread(path.toString(), IMREAD_COLOR)) {
            if (img == null || img.empty()) throw new ImageCodecException("not a readable image: " + path);
            return JpegCodec.copyOut(img);
        }
    }

    /** Writes in the format the extension names (.png, .jpg). */
    public static void write(BgrImage image, Path path) {
        try (BytePointer data = new BytePointer(image.pixels());
             Mat mat = new Mat(image.height(), image.width(), CV_8UC3, data)) {
            if (!imwrite(path.toString(), mat)) throw new ImageCodecException("could not write image: " + path);
        }
    }

    /** Returns a copy of {@code image} with each overlay drawn as a rectangle and a text tag. */
    public static BgrImage annotate(BgrImage image, List<Overlay> overlays) {
        try (BytePointer data = new BytePointer(image.pixels());
             Mat mat = new Mat(image.height(), image.width(), CV_8UC3, data)) {
            int thick = Math.max(1, Math.round(Math.max(image.width(), image.height()) / 400f));
            double fontScale = 0.4 * thick;
            for (int i = 0; i < overlays.size(); i++) {
                Overlay o = overlays.get(i);
                Scalar colour = palette(i);
                try (Point p1 = new Point((int) Math.round(o.x1()), (int) Math.round(o.y1()));
                     Point p2 = new Point((int) Math.round(o.x2()), (int) Math.round(o.y2()))) {
                    rectangle(mat, p1, p2, colour, thick, LINE_AA, 0);
                }
                if (o.text() != null && !o.text().isEmpty()) {
                    int[] baseline = new int[1];
                    Size ts = getTextSize(o.text(), FONT_HERSHEY_SIMPLEX, fontScale, 1, baseline);
                    int tx = (int) Math.round(o.x1());
                    int ty = Math.max(ts.height() + 2, (int) Math.round(o.y1()) - 3);
                    try (Point tl = new Point(tx, ty - ts.height() - 2); Point br = new Point(tx + ts.width() + 2, ty + 2);
                         Point org = new Point(tx + 1, ty)) {
                        rectangle(mat, tl, br, colour, -1, LINE_AA, 0);
                        putText(mat, o.text(), org, FONT_HERSHEY_SIMPLEX, fontScale, new Scalar(255, 255, 255, 0), 1, LINE_AA, false);
                    }
                    ts.close();
                }
            }
            return JpegCodec.copyOut(mat);
        }
    }

    private static Scalar palette(int i) {
        int[][] c = {{56, 56, 255}, {151, 157, 255}, {31, 112, 255}, {29, 178, 255}, {49, 210, 207}, {10, 249, 72},
                {23, 204, 146}, {134, 219, 61}, {52, 147, 26}, {187, 212, 0}, {168, 153, 44}, {255, 194, 0}};
        int[] k = c[i % c.length];
        return new Scalar(k[0], k[1], k[2], 0);
    }
}
