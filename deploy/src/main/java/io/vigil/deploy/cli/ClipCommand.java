package io.vigil.deploy.cli;

import io.vigil.deploy.evidence.FrameStore;
import io.vigil.deploy.evidence.Overlay;
import io.vigil.flink.analytics.Rule;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.kafka.FrameRecord;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "clip", description = {"A camera's frames between two capture times, read back from vigil.frames, as an MP4 (H.264 where",
        "FFmpeg has an H.264 encoder, else MPEG-4 Part 2, said on the way); --overlay draws detections, tracks and rules."})
final class ClipCommand implements Callable<Integer> {
    @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--camera", required = true, description = "camera id")
    String camera;

    @Option(names = "--from", required = true, description = "capture time: epoch ms or ISO-8601 (2026-11-29T17:30:00Z)")
    String from;

    @Option(names = "--to", required = true, description = "capture time, as --from")
    String to;

    @Option(names = "--overlay", description = "draw each frame's detections, tracks and the camera's rules")
    boolean overlay;

    @Option(names = "--out", required = true, description = "FILE.mp4")
    Path out;

    static long micros(String t, String flag) {
        try {
            return Long.parseLong(t.strip()) * 1000;
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(t.strip()).toEpochMilli() * 1000;
            } catch (RuntimeException e2) {
                throw new IllegalArgumentException(flag + " must be epoch ms or an ISO-8601 instant (2026-11-29T17:30:00Z), got '" + t + "'");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        long a = micros(from, "--from"), b = micros(to, "--to");
        if (b <= a) throw new IllegalArgumentException("--to must be after --from");
        try (FrameStore store = new FrameStore(bootstrap, null); JpegCodec jpeg = new JpegCodec()) {
            List<FrameRecord> frames;
            try {
                frames = store.framesBetween(camera, a, b);
            } catch (FrameStore.NotFound e) {
                System.err.println(e.getMessage());
                return 3;
            }
            List<Rule> rules = overlay ? SnapshotCommand.rules(bootstrap, camera) : List.of();
            java.util.Map<Long, com.fasterxml.jackson.databind.JsonNode> detections = overlay
                    ? store.detections(camera, frames.get(0).seq(), frames.get(frames.size() - 1).seq()) : java.util.Map.of();
            FrameRecord first = frames.get(0);
            double seconds = Math.max(1e-3, (frames.get(frames.size() - 1).tsMicros() - first.tsMicros()) / 1e6);
            double fps = frames.size() > 1 ? (frames.size() - 1) / seconds : 1;
            int w = first.width() & ~1, h = first.height() & ~1; // 4:2:0 wants even sizes
            boolean h264 = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_H264) != null;
            if (!h264) System.out.println("this FFmpeg build has no H.264 encoder: writing MPEG-4 Part 2");
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), w, h, 0)) {
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
                    for (int y = 0; y < h; y++) {
                        buf.position(y * frame.imageStride);
                        buf.put(img.pixels(), y * img.width() * 3, w * 3);
                    }
                    buf.rewind();
                    rec.record(frame, avutil.AV_PIX_FMT_BGR24);
                }
                rec.stop();
            }
            System.out.printf(java.util.Locale.ROOT, "camera %s frames %d..%d (%d frames, %.1f fps) -> %s%n", camera, first.seq(),
                    frames.get(frames.size() - 1).seq(), frames.size(), fps, out);
            return 0;
        }
    }
}
