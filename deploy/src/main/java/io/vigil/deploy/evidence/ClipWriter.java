package io.vigil.deploy.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.events.rules.Rule;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.kafka.FrameRecord;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Frames read back from Kafka written as an MP4: H.264 where this FFmpeg has an encoder for it, else MPEG-4 Part 2; the
 * frame rate is the frames' own (capture timestamps), so a clip plays at the speed it was recorded.
 */
public final class ClipWriter {
    private ClipWriter() {}

    /** What was written. */
    public record Written(long firstSeq, long lastSeq, int frames, double fps, boolean h264) {}

    /**
     * Writes {@code frames} (non-empty, in order) to {@code out}; with {@code detections} (by seq) or {@code rules} each
     * frame is drawn over first.
     */
    public static Written write(List<FrameRecord> frames, Map<Long, JsonNode> detections, List<Rule> rules, boolean overlay, Path out)
            throws Exception {
        if (frames.isEmpty()) throw new IllegalArgumentException("no frames to write");
        FrameRecord first = frames.get(0);
        FrameRecord last = frames.get(frames.size() - 1);
        double seconds = Math.max(1e-3, (last.tsMicros() - first.tsMicros()) / 1e6);
        double fps = frames.size() > 1 ? (frames.size() - 1) / seconds : 1;
        int w = first.width() & ~1, h = first.height() & ~1; // 4:2:0 wants even sizes
        boolean h264 = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_H264) != null;
        try (JpegCodec jpeg = new JpegCodec(); FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(h264 ? avcodec.AV_CODEC_ID_H264 : avcodec.AV_CODEC_ID_MPEG4);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoQuality(h264 ? 23 : 3);
            rec.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            for (FrameRecord f : frames) {
                BgrImage img = jpeg.decode(f.payload());
                if (overlay) {
                    BufferedImage bi = Overlay.image(img);
                    Overlay.draw(bi, detections.get(f.seq()), rules);
                    img = Overlay.pixels(bi);
                }
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                // a frame of another size (the camera changed resolution) is cut or padded to the clip's first size
                int rows = Math.min(h, img.height()), cols = Math.min(w, img.width());
                for (int y = 0; y < rows; y++) {
                    buf.position(y * frame.imageStride);
                    buf.put(img.pixels(), y * img.width() * 3, cols * 3);
                }
                buf.rewind();
                rec.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return new Written(first.seq(), last.seq(), frames.size(), fps, h264);
    }
}
