package io.vigil.video.source;

import io.vigil.video.image.BgrImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Motion-JPEG test clips made of vtest.avi's frames, and the JPEGs such a clip holds as FFmpeg's demuxer reads them. */
public final class MjpegClips {
    private MjpegClips() {}

    /** Writes vtest.avi's first {@code frames} frames, resized to {@code width} x {@code height}, as an MJPEG AVI. */
    public static Path write(Path out, int frames, int width, int height) throws Exception {
        try (VideoSource v = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000);
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), width, height, 0)) {
            rec.setFormat("avi");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
            rec.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P);
            rec.setFrameRate(10);
            rec.setVideoQuality(4);
            rec.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < frames && v.next(); i++) {
                BgrImage img = v.copyBgrResized(width, height);
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < height; y++) {
                    buf.position(y * frame.imageStride);
                    buf.put(img.pixels(), y * width * 3, width * 3);
                }
                buf.rewind();
                rec.record(frame, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return out;
    }

    /** The video packets of a file, in order, as FFmpeg's demuxer hands them out. */
    public static List<byte[]> packets(Path file) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            AVPacket p;
            while ((p = g.grabPacket()) != null) {
                if (g.getFormatContext().streams(p.stream_index()).codecpar().codec_type() == org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO) {
                    byte[] b = new byte[p.size()];
                    p.data().get(b);
                    out.add(b);
                }
                avcodec.av_packet_unref(p);
            }
        }
        return out;
    }

    /** The JPEG with its DHT segments cut out, as Motion-JPEG in AVI ("AVI1") may store a frame. */
    public static byte[] withoutHuffmanTables(byte[] j) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(j, 0, 2);
        int i = 2;
        while (true) {
            int marker = j[i + 1] & 0xff;
            if (marker == 0xda) {
                out.write(j, i, j.length - i);
                return out.toByteArray();
            }
            int len = ((j[i + 2] & 0xff) << 8) | (j[i + 3] & 0xff);
            if (marker != 0xc4) out.write(j, i, 2 + len);
            i += 2 + len;
        }
    }
}
