package io.vigil.deploy.cli;

import io.vigil.deploy.evidence.ClipWriter;
import io.vigil.deploy.evidence.FrameStore;
import io.vigil.events.rules.Rule;
import io.vigil.video.kafka.FrameRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "clip", description = {"A camera's frames between two capture times, read back from vigil.frames, as an MP4 (H.264 where",
        "FFmpeg has an H.264 encoder, else MPEG-4 Part 2, said on the way); --overlay draws detections, tracks and rules."})
final class ClipCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

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

    @Override
    public Integer call() throws Exception {
        long a = TimeArgument.epochMillis("--from", from) * 1000, b = TimeArgument.epochMillis("--to", to) * 1000;
        if (b <= a) throw new IllegalArgumentException("--to must be after --from");
        try (FrameStore store = new FrameStore(kafka.bootstrap(), kafka.clientProperties())) {
            List<FrameRecord> frames;
            try {
                frames = store.framesBetween(camera, a, b);
            } catch (FrameStore.NotFound e) {
                System.err.println(e.getMessage());
                return 3;
            }
            List<Rule> rules = overlay ? SnapshotCommand.rules(kafka, camera) : List.of();
            java.util.Map<Long, com.fasterxml.jackson.databind.JsonNode> detections = overlay
                    ? store.detections(camera, frames.get(0).seq(), frames.get(frames.size() - 1).seq()) : java.util.Map.of();
            ClipWriter.Written w = ClipWriter.write(frames, detections, rules, overlay, out);
            if (!w.h264()) System.out.println("this FFmpeg build has no H.264 encoder: wrote MPEG-4 Part 2");
            System.out.printf(java.util.Locale.ROOT, "camera %s frames %d..%d (%d frames, %.1f fps) -> %s%n", camera, w.firstSeq(), w.lastSeq(),
                    w.frames(), w.fps(), out);
            return 0;
        }
    }
}
