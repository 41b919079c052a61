package io.vigil.flink;

import io.vigil.flink.event.FrameEnvelope;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real frames and models for operator tests; missing data fails the test. */
public final class TestFrames {
    private TestFrames() {}

    public static String model(String name) {
        Path p = Path.of(System.getProperty("vigil.shared", "../shared"), "models", name);
        if (!Files.isDirectory(p)) throw new IllegalStateException("model folder missing: " + p.toAbsolutePath());
        return p.toAbsolutePath().toString();
    }

    /** JPEGs of vtest.avi frames from..to-1 (q90). */
    public static List<byte[]> vtestJpegs(int from, int to) {
        List<byte[]> out = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; i < to && src.next(); i++) if (i >= from) out.add(src.encodeJpeg(90, 0, 0).bytes());
        }
        return out;
    }

    public static FrameEnvelope frame(String camera, long seq, byte[] jpeg, int w, int h) {
        FrameEnvelope f = new FrameEnvelope();
        f.camera = camera;
        f.seq = seq;
        f.tsMicros = 1_700_000_000_000_000L + seq * 100_000;
        f.width = w;
        f.height = h;
        f.codec = "jpeg";
        f.payload = jpeg;
        f.topic = "vigil.frames";
        f.offset = seq;
        return f;
    }
}
