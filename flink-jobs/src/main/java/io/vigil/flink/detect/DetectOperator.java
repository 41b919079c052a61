package io.vigil.flink.detect;

import io.vigil.flink.kafka.FrameEnvelope;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.image.JpegCodec;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode + detect, one frame at a time: JPEG to BGR, the ONNX detector, boxes to a {@link DetectionEvent}.
 * A frame that cannot be read (broken wire format, corrupt JPEG) is logged with camera, seq and offset and
 * skipped; the job keeps going. The detector is opened in {@link #open} and closed with the operator.
 */
public class DetectOperator extends ProcessFunction<FrameEnvelope, DetectionEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DetectOperator.class);

    private final String modelPath;
    private final String provider;
    private final int threads;
    private final Float scoreThreshold;

    private transient Detector detector;
    private transient JpegCodec jpeg;
    private transient String modelId;
    private transient Counter framesOk;
    private transient Counter framesBad;

    public DetectOperator(String modelPath, ExecutionProvider provider, int threads, Float scoreThreshold) {
        this.modelPath = modelPath;
        this.provider = provider.toString();
        this.threads = threads;
        this.scoreThreshold = scoreThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
        ModelBundle bundle = ModelBundle.load(Path.of(modelPath));
        detector = Detector.open(bundle, DetectorOptions.defaults().withProvider(ExecutionProvider.parse(provider))
                .withThreads(threads).withScoreThreshold(scoreThreshold));
        modelId = bundle.modelId();
        jpeg = new JpegCodec();
        framesOk = getRuntimeContext().getMetricGroup().counter("framesDetected");
        framesBad = getRuntimeContext().getMetricGroup().counter("framesRejected");
        LOG.info("detector {} on {} ready", modelId, detector.provider());
    }

    @Override
    public void processElement(FrameEnvelope f, Context ctx, Collector<DetectionEvent> out) {
        if (f.isBad()) {
            reject(f, f.error);
            return;
        }
        BgrImage img;
        try {
            img = jpeg.decode(f.payload);
        } catch (ImageCodecException e) {
            reject(f, "corrupt image: " + e.getMessage());
            return;
        }
        if (img.width() != f.width || img.height() != f.height) {
            reject(f, "image is " + img.width() + "x" + img.height() + " but headers say " + f.width + "x" + f.height);
            return;
        }
        DetectionResult r = detector.detect(img.pixels(), img.width(), img.height());
        out.collect(toEvent(f, r.detections()));
        framesOk.inc();
    }

    private DetectionEvent toEvent(FrameEnvelope f, List<Detection> dets) {
        DetectionEvent e = new DetectionEvent();
        e.camera = f.camera;
        e.frame = f.seq;
        e.tsMicros = f.tsMicros;
        e.width = f.width;
        e.height = f.height;
        e.model = modelId;
        e.objects = new DetectedObject[dets.size()];
        for (int i = 0; i < dets.size(); i++) {
            Detection d = dets.get(i);
            DetectedObject o = new DetectedObject();
            o.label = d.label();
            o.classId = d.classId();
            o.score = d.score();
            o.box = new float[] {d.x1(), d.y1(), d.x2(), d.y2()};
            o.boxNorm = new float[] {d.x1() / f.width, d.y1() / f.height, d.x2() / f.width, d.y2() / f.height};
            e.objects[i] = o;
        }
        return e;
    }

    private void reject(FrameEnvelope f, String reason) {
        framesBad.inc();
        LOG.warn("skipping frame {}: {}", f.where(), reason);
    }

    @Override
    public void close() {
        if (jpeg != null) jpeg.close();
        if (detector != null) detector.close();
    }
}
