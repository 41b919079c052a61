package io.vigil.deploy.cli;

import io.vigil.deploy.evidence.FrameStore;
import io.vigil.deploy.evidence.Overlay;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleRegistry;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.kafka.FrameRecord;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "snapshot", description = {"One frame read back from vigil.frames as a JPEG: by camera and seq, or by an analytics event's",
        "frameRef (--partition, --offset); --overlay draws its detections and the camera's rules."})
final class SnapshotCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--camera", required = true, description = "camera id")
    String camera;

    @Option(names = "--frame", description = "the frame's seq (vigil-seq, the events' frame)")
    Long frame;

    @Option(names = "--partition", description = "with --offset: the frameRef of an analytics event")
    Integer partition;

    @Option(names = "--offset", description = "with --partition")
    Long offset;

    @Option(names = "--overlay", description = "draw the frame's detections, tracks and the camera's rules")
    boolean overlay;

    @Option(names = "--out", required = true, description = "FILE.jpg")
    Path out;

    @Override
    public Integer call() throws Exception {
        if ((frame == null) == (offset == null)) throw new IllegalArgumentException("give --frame SEQ, or --partition and --offset");
        try (FrameStore store = new FrameStore(kafka.bootstrap(), kafka.clientProperties()); JpegCodec jpeg = new JpegCodec()) {
            FrameRecord f;
            try {
                f = frame != null ? store.frames(camera, frame, frame).get(0)
                        : store.at(io.vigil.video.kafka.Topics.FRAMES, partition == null ? 0 : partition, offset);
            } catch (FrameStore.NotFound e) {
                System.err.println(e.getMessage());
                return 3;
            }
            if (!f.camera().equals(camera)) {
                System.err.println("that record is camera " + f.camera() + "'s frame " + f.seq() + ", not " + camera + "'s");
                return 3;
            }
            BgrImage img = jpeg.decode(f.payload());
            byte[] bytes;
            if (overlay) {
                BufferedImage b = Overlay.image(img);
                Overlay.draw(b, store.detections(camera, f.seq()), rules(kafka, camera));
                bytes = jpeg.encode(Overlay.pixels(b), 90);
            } else {
                bytes = f.payload();
            }
            Files.write(out, bytes);
            System.out.println("camera " + camera + " frame " + f.seq() + " (" + f.width() + "x" + f.height() + ") -> " + out);
            return 0;
        }
    }

    /** The camera's current rules (vigil.rules read to its end). */
    static List<Rule> rules(KafkaOptions kafka, String camera) {
        List<Rule> mine = new ArrayList<>();
        for (Object o : RuleRegistry.list(kafka.bootstrap(), kafka.clientProperties()).values()) if (o instanceof Rule r && r.camera().equals(camera)) mine.add(r);
        return mine;
    }
}
