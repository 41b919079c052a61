package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.models.detect.Preprocessor;
import io.vigil.models.detect.ResizeMode;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The spatiotemporal stage (golden fixture weights, {@code SsmFixture}) stepped over vtest.avi's frames in order,
 * computed here without Flink: a job whose per-camera SSM state survived failures produces exactly these embeddings.
 */
final class SsmReference {
    private SsmReference() {}

    static void assertEmbeddingsEqualAnUninterruptedRun(List<JsonNode> events, Path ssm, List<String> cameras, int frames) {
        SpatiotemporalModel model = SpatiotemporalModel.load(ssm, "scalar");
        Preprocessor pre = new Preprocessor(16, 16, ResizeMode.STRETCH, true, 0, 1f / 255, null, null);
        List<float[]> tensors = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000);
             JpegCodec jpeg = new JpegCodec()) {
            for (int i = 0; i < frames && src.next(); i++) {
                // what the gateway published (its default box), as the job decodes it
                var img = jpeg.decode(src.encodeJpeg(80, io.vigil.video.gateway.PublishSize.DEFAULT.maxWidth(), io.vigil.video.gateway.PublishSize.DEFAULT.maxHeight()).bytes());
                FloatBuffer fb = FloatBuffer.allocate(3 * 16 * 16);
                pre.apply(img.pixels(), img.width(), img.height(), fb);
                tensors.add(fb.array());
            }
        }
        float[] want = new float[16];
        for (String cam : cameras) {
            List<JsonNode> mine = events.stream().filter(e -> e.path("camera").asText().equals(cam))
                    .sorted(Comparator.comparingLong(e -> e.path("frame").asLong())).toList();
            var state = model.newState();
            for (JsonNode e : mine) {
                model.step(tensors.get((int) e.path("frame").asLong()), state, want);
                JsonNode got = e.path("embedding");
                assertEquals(16, got.size(), cam + " frame " + e.path("frame") + " has no embedding");
                for (int j = 0; j < 16; j++) {
                    assertEquals(want[j], got.get(j).asDouble(), 1e-4, cam + " frame " + e.path("frame").asLong() + " embedding[" + j + "]");
                }
            }
        }
    }
}
