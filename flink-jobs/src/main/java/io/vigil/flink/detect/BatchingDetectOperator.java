package io.vigil.flink.detect;

import io.vigil.flink.batch.MicroBatchOperator;
import io.vigil.flink.config.JobConfig;
import io.vigil.flink.event.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.flink.event.DetectedObject;
import io.vigil.flink.event.DetectionEvent;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.failure.Unrecoverable;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import io.vigil.models.detect.Preprocessor;
import io.vigil.models.detect.ResizeMode;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.image.JpegCodec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode + detect with micro-batching ACROSS cameras: frames are collected until {@code batchSize} or
 * {@code batchTimeoutMs} and go through the detector together (one ONNX Runtime run per batch when the model's
 * batch axis is dynamic). The buffer is flushed before every checkpoint barrier and every watermark, so a
 * checkpoint never holds frames in flight and no event comes out behind its watermark.
 *
 * <p>Each frame leaves as a {@link DetectedFrame}: its detection event and, when a spatiotemporal stage runs, the frame
 * resized to that model's input as a [3][H][W] RGB 0..1 tensor.
 *
 * <p>Frames that cannot be processed go to the {@link SideOutputs#DEADLETTER} side output with the reason: broken wire
 * format, unknown codec, more pixels than {@code maxPixels}, corrupt image, or an image whose size disagrees
 * with its headers. The job never fails on bad input.
 */
public class BatchingDetectOperator extends MicroBatchOperator<FrameEnvelope, DetectedFrame> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingDetectOperator.class);
    private final JobConfig.Detect settings;
    private final int tensorWidth;
    private final int tensorHeight;
    private final long[] failAfterFrames;

    private transient Detector detector;
    private transient JpegCodec jpeg;
    private transient String modelId;
    private transient Counter framesOk;
    private transient Counter framesBad;
    private transient Counter batches;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMs;
    private transient long processedThisAttempt;
    private transient Preprocessor tensorPre;
    private transient FloatBuffer tensorBuf;

    /** Detection only. */
    public BatchingDetectOperator(JobConfig.Detect settings) {
        this(settings, 0, 0, null);
    }

    /**
     * @param settings        the section, its model path absolute
     * @param tensorWidth     with tensorHeight &gt; 0: attach each frame as a [3][H][W] RGB 0..1 tensor for the spatiotemporal stage
     * @param failAfterFrames testing only (testing.failAfterFrames): fail attempt k after its n-th frame; null in production
     */
    public BatchingDetectOperator(JobConfig.Detect settings, int tensorWidth, int tensorHeight, List<Long> failAfterFrames) {
        super(settings.batchSize(), settings.batchTimeout().toMillis());
        this.settings = settings;
        this.tensorWidth = tensorWidth;
        this.tensorHeight = tensorHeight;
        this.failAfterFrames = failAfterFrames == null ? null : failAfterFrames.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void open() throws Exception {
        super.open();
        ModelBundle bundle = Unrecoverable.open("detector", () -> ModelBundle.load(Path.of(settings.model())));
        detector = Unrecoverable.open("detector", () -> Detector.open(bundle, DetectorOptions.defaults().withProvider(settings.executionProvider())
                .withThreads(settings.threads()).withScoreThreshold(settings.scoreThreshold()).withMaxBatch(settings.batchSize())));
        modelId = bundle.modelId();
        jpeg = new JpegCodec();
        if (tensorWidth > 0 && tensorHeight > 0) {
            // the spatiotemporal stage's input: the whole frame stretched, RGB, 0..1
            tensorPre = new Preprocessor(tensorWidth, tensorHeight, ResizeMode.STRETCH, true, 0, 1f / 255, null, null);
            tensorBuf = FloatBuffer.allocate(3 * tensorWidth * tensorHeight);
        }
        var g = getMetricGroup();
        framesOk = g.counter("framesDetected");
        framesBad = g.counter("framesRejected");
        batches = g.counter("batches");
        batchSizes = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMs = g.histogram("inferenceMs", new DescriptiveStatisticsHistogram(1000));
        g.meter("framesPerSecond", new MeterView(framesOk));
        g.gauge("meanBatchSize", () -> batches.getCount() == 0 ? 0.0 : (double) framesOk.getCount() / batches.getCount());
        LOG.info("detector {} on {} ready (batch up to {} frames, {} ms)", modelId, detector.provider(), detector.batchCapacity(),
                settings.batchTimeout().toMillis());
    }

    @Override
    public void processElement(StreamRecord<FrameEnvelope> element) throws Exception {
        FrameEnvelope f = element.getValue();
        if (f.isBad()) {
            reject(f, f.error, element);
            return;
        }
        if ((long) f.width * f.height > settings.maxPixels()) {
            reject(f, "frame of " + f.width + "x" + f.height + " is over the limit of " + settings.maxPixels() + " pixels", element);
            return;
        }
        super.processElement(element);
    }

    @Override
    protected void process(List<StreamRecord<FrameEnvelope>> buffer) {
        List<StreamRecord<FrameEnvelope>> ok = new ArrayList<>(buffer.size());
        List<FrameInput> inputs = new ArrayList<>(buffer.size());
        List<float[]> tensors = new ArrayList<>(tensorPre == null ? 0 : buffer.size());
        for (StreamRecord<FrameEnvelope> r : buffer) {
            FrameEnvelope f = r.getValue();
            BgrImage img;
            try {
                img = jpeg.decode(f.payload);
            } catch (ImageCodecException e) {
                reject(f, "corrupt image: " + e.getMessage(), r);
                continue;
            }
            if (img.width() != f.width || img.height() != f.height) {
                reject(f, "image is " + img.width() + "x" + img.height() + " but its headers say " + f.width + "x" + f.height, r);
                continue;
            }
            ok.add(r);
            inputs.add(new FrameInput(img.pixels(), img.width(), img.height()));
            if (tensorPre != null) {
                tensorBuf.clear();
                tensorPre.apply(img.pixels(), img.width(), img.height(), tensorBuf);
                tensors.add(tensorBuf.array().clone());
            }
        }
        if (inputs.isEmpty()) return;
        long t0 = System.nanoTime();
        List<DetectionResult> results = detector.detectBatch(inputs);
        inferenceMs.update((System.nanoTime() - t0) / 1_000_000);
        batches.inc();
        batchSizes.update(inputs.size());
        for (int i = 0; i < ok.size(); i++) {
            StreamRecord<FrameEnvelope> r = ok.get(i);
            DetectedFrame f = DetectedFrame.of(toEvent(r.getValue(), results.get(i).detections()), tensorPre == null ? null : tensors.get(i), r.getValue());
            if (r.hasTimestamp()) output.collect(new StreamRecord<>(f, r.getTimestamp()));
            else output.collect(new StreamRecord<>(f));
            framesOk.inc();
            injectFailureIfAsked();
        }
    }

    /** Testing hook (JobConfig testing.failAfterFrames): fail attempt k after its n-th frame. */
    private void injectFailureIfAsked() {
        long[] at = failAfterFrames;
        if (at == null) return;
        processedThisAttempt++;
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        if (attempt < at.length && processedThisAttempt == at[attempt]) {
            throw new IllegalStateException("injected failure (testing.failAfterFrames) in attempt " + attempt + " after " + at[attempt] + " frames");
        }
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

    private void reject(FrameEnvelope f, String reason, StreamRecord<FrameEnvelope> r) {
        framesBad.inc();
        LOG.warn("frame {} to the dead-letter topic: {}", f.where(), reason);
        DeadLetter d = DeadLetter.of(f, reason);
        if (r.hasTimestamp()) output.collect(SideOutputs.DEADLETTER, new StreamRecord<>(d, r.getTimestamp()));
        else output.collect(SideOutputs.DEADLETTER, new StreamRecord<>(d));
    }

    /** For tests: frames per batch so far. */
    double meanBatchSize() {
        return batches.getCount() == 0 ? 0 : (double) framesOk.getCount() / batches.getCount();
    }

    @Override
    public void close() throws Exception {
        if (jpeg != null) jpeg.close();
        if (detector != null) detector.close();
        super.close();
    }
}
