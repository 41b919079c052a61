package io.vigil.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.video.gateway.CameraConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.junit.jupiter.api.Test;

/**
 * 8 cameras into one Detect subtask with {@code --batch-size 8}: YOLOX-Nano's batch axis is fixed at 1, so grouping
 * frames would only make the first of each group wait for the other seven (a run of 8 is 8 runs in a row); the operator
 * sizes its batches from the model, so its meanBatchSize metric is exactly 1 and no frame waits. Every camera's
 * detections equal running the detector on that frame alone. (A model with a dynamic batch axis gets up to
 * {@code --batch-size} frames of several cameras per run: {@code DetectOperator}.)
 */
class CrossCameraBatchingITCase {
    private static final int CAMERAS = 8;
    private static final int FRAMES = 40;

    @Test
    void aFixedBatchModelRunsEachFrameAsItComesWithoutChangingDetections() throws Exception {
        EmbeddedKafka kafka = SharedStack.kafka();
        String bs = kafka.bootstrap();
        InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();
        // --max-frame-age 0: every camera's detections are compared with running the detector on each frame alone, so every frame must run
        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap", bs, "--model", TestPaths.model("yolox-nano").toString(), "--max-frame-age", "0",
                "--group", "batch-" + System.nanoTime(), "--checkpoint-interval", "1s", "--start-from", "latest",
                "--batch-size", "8", "--batch-timeout", "100ms", "--parallelism", "1"});
        try (LocalJob job = LocalJob.start(config, reporter.addToConfiguration(new Configuration()));
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs));
             EventReader detections = new EventReader(bs, Topics.DETECTIONS)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (job.client().getJobStatus().get() != JobStatus.RUNNING && System.currentTimeMillis() < deadline) Thread.sleep(200);
            Thread.sleep(4000);
            for (int c = 0; c < CAMERAS; c++) {
                gw.start(CameraConfig.builder().id("batch-" + c).source(SampleMedia.require(SampleMedia.VTEST).toString())
                        .paced(false).maxFrames(FRAMES).build());
            }
            assertTrue(gw.awaitFinished(Duration.ofSeconds(60)));
            List<JsonNode> events = detections.collect(e -> e.path("camera").asText().startsWith("batch-"),
                    got -> got.size() >= CAMERAS * FRAMES, Duration.ofSeconds(180));
            assertEquals(CAMERAS * FRAMES, events.size());

            double mean = reporter.findMetrics(job.client().getJobID(), "meanBatchSize").values().stream()
                    .mapToDouble(m -> ((Number) ((Gauge<?>) m).getValue()).doubleValue()).max().orElse(0);
            System.out.printf("fixed-batch model, --batch-size 8: mean batch size %.2f frames over %d frames of %d cameras%n", mean, events.size(), CAMERAS);
            // before issue 15 this was 7.27: frames waited for seven others and then ran one after another anyway
            assertEquals(1.0, mean, 1e-9, "mean batch size at the Detect operator");

            // batch size 1, here: the same JPEGs the gateway published, decoded as the job's Detect decodes them (straight at
            // the letterbox's size) and detected one at a time
            List<List<Detection>> alone = new ArrayList<>();
            try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000);
                 JpegCodec jpeg = new JpegCodec();
                 Detector det = Detector.open(ModelBundle.load(TestPaths.model("yolox-nano")), DetectorOptions.defaults().withMaxBatch(1))) {
                for (int i = 0; i < FRAMES && src.next(); i++) {
                    var published = src.encodeJpeg(80, io.vigil.video.gateway.PublishSize.DEFAULT.maxWidth(), io.vigil.video.gateway.PublishSize.DEFAULT.maxHeight()); // as the gateway publishes by default
                    int[] size = det.resizedSize(published.width(), published.height());
                    BgrImage img = jpeg.decodeResized(published.bytes(), size[0], size[1]);
                    alone.add(det.detectBatch(List.of(io.vigil.models.detect.FrameInput.resized(img.pixels(), size[0], size[1],
                            published.width(), published.height()))).get(0).detections());
                }
            }
            for (JsonNode e : events) {
                List<Detection> want = alone.get((int) e.path("frame").asLong());
                JsonNode objs = e.path("objects");
                assertEquals(want.size(), objs.size(), e.path("camera").asText() + " frame " + e.path("frame"));
                for (int i = 0; i < want.size(); i++) {
                    assertEquals(want.get(i).label(), objs.get(i).path("label").asText());
                    assertEquals(want.get(i).score(), objs.get(i).path("score").asDouble(), 1e-4);
                    assertEquals(want.get(i).x1(), objs.get(i).path("box").get(0).asDouble(), 0.051);
                    assertEquals(want.get(i).y2(), objs.get(i).path("box").get(3).asDouble(), 0.051);
                }
            }
        }
    }
}
