package io.vigil.flink.detect;

import io.vigil.events.DeadLetter;
import io.vigil.events.DetectionEvent;
import io.vigil.events.Inference;
import io.vigil.flink.batch.FlushingOperator;
import io.vigil.flink.config.JobConfig;
import io.vigil.flink.event.DeadLetters;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.failure.Unrecoverable;
import io.vigil.flink.gate.FrameAge;
import io.vigil.flink.gate.GateState;
import io.vigil.flink.metrics.StageCpu;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import io.vigil.models.detect.Preprocessor;
import io.vigil.models.detect.ResizeMode;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.image.JpegHeader;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gate + decode + detect, keyed by camera. Every frame leaves as exactly one {@link DetectedFrame}; the camera's
 * {@link DetectGate} decides whether the detector runs on it ({@code inference: full}) or not ({@code interval},
 * {@code motion}, {@code overload}), within the subtask's {@link DetectorBudget} (runs per second the detector can
 * take, shared by weighted max-min fairness among the cameras); a frame the detector skips is never decoded at full size (a frame too old is not
 * decoded at all, motion gating decodes 1/8 of it in grey), and the Track stage fills it with the tracker's
 * predictions. The gate's state (share of the detector, credit, the running-average motion background) is keyed state: checkpointed,
 * restored, rescaled. A camera's MOG2 motion model (the default) is native memory of this subtask, not checkpointed:
 * after a restore it is learnt again, its first 5 frames counting as motion.
 *
 * <p>Frames that run the detector are grouped across the subtask's cameras up to the detector's batch capacity: a model
 * with a dynamic batch axis gets up to {@code batchSize} frames per run (waiting at most {@code batchTimeout}); a
 * fixed-batch model (the shipped CPU detectors) runs each frame as it comes, so no frame waits for others. A camera's
 * frames leave in their order; everything buffered leaves before each checkpoint barrier and watermark.
 *
 * <p>The work is in parts, each its own class: {@link GateDecider} (whether the detector runs), {@link MotionSensor}
 * (the 1/8 grey decode and the camera's motion model), {@link DetectorPool} (runs on the task thread or on workers,
 * handed back through the mailbox), {@link DetectionMapper} (boxes to the published event), {@link DetectMetrics}; the
 * flush policy is {@link FlushingOperator}'s, shared with the micro-batch operators. This class holds the queue that
 * keeps each camera's frames in order and owns the {@link DetectedFrame} it emits: the event's detections and
 * {@code inference}, the tensor and the frame's place on the topic are set here and nowhere else.
 *
 * <p>Frames that cannot be processed go to {@link SideOutputs#DEADLETTER} with the reason (broken wire format, more
 * pixels than {@code maxPixels}, corrupt image, size disagreeing with the headers). The job never fails on bad input.
 */
public class DetectOperator extends FlushingOperator<FrameEnvelope, DetectedFrame> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DetectOperator.class);

    private final JobConfig.Detect settings;
    private final JobConfig.Gate gateSettings;
    private final int tensorWidth;
    private final int tensorHeight;
    private final long[] failAfterFrames;

    private transient DetectorPool pool;
    private transient MailboxExecutor mailbox;
    private transient JpegCodec jpeg;
    private transient DetectionMapper mapper;
    private transient int batchCapacity;
    private transient GateDecider gate;
    private transient MotionSensor motion;
    private transient ValueState<GateState> gateState;
    private transient ArrayDeque<Pending> queue;         // every frame not yet emitted, in arrival order
    private transient List<Pending> batch;               // frames to detect not yet handed to a run
    private transient DetectMetrics metrics;
    private transient long processedThisAttempt;
    private transient ArrayDeque<byte[]> freePixels; // pixel arrays of the detector's input size, back from finished runs
    private transient Preprocessor tensorPre;
    private transient FloatBuffer tensorBuf;

    /** A frame waiting to leave: to detect (image set, then its run and its place in it) or to pass on with the reason it was skipped. */
    private static final class Pending {
        final StreamRecord<FrameEnvelope> record;
        final Inference inference;
        FrameInput input;   // the detector's input until its run starts
        final float[] tensor;
        DetectorPool.Run run;
        int index;

        Pending(StreamRecord<FrameEnvelope> record, Inference inference, FrameInput input, float[] tensor) {
            this.record = record;
            this.inference = inference;
            this.input = input;
            this.tensor = tensor;
        }
    }

    /**
     * @param settings        the detect section, its model path absolute
     * @param gateSettings    the gate section
     * @param tensorWidth     with tensorHeight &gt; 0: attach each frame as a [3][H][W] RGB 0..1 tensor for the spatiotemporal stage
     * @param failAfterFrames testing only (testing.failAfterFrames): fail attempt k after its n-th frame; null in production
     */
    public DetectOperator(JobConfig.Detect settings, JobConfig.Gate gateSettings, int tensorWidth, int tensorHeight, List<Long> failAfterFrames) {
        this.settings = settings;
        this.gateSettings = gateSettings;
        this.tensorWidth = tensorWidth;
        this.tensorHeight = tensorHeight;
        this.failAfterFrames = failAfterFrames == null ? null : failAfterFrames.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public void open() throws Exception {
        super.open();
        ModelBundle bundle = Unrecoverable.open("detector", () -> ModelBundle.load(Path.of(settings.model())));
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int concurrency = resolveConcurrency(settings, subtasks, Runtime.getRuntime().availableProcessors());
        int threads = settings.threads() > 0 || concurrency == 1 ? settings.threads() : 1;
        DetectorOptions opts = DetectorOptions.defaults().withProvider(settings.executionProvider()).withThreads(threads)
                .withScoreThreshold(settings.scoreThreshold()).withMaxBatch(settings.batchSize()).withRequireProvider(settings.requireProvider());
        pool = new DetectorPool(bundle, opts, concurrency, "vigil-detect-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-");
        if (concurrency > 1) mailbox = getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex());
        Detector detector = pool.detector();
        String modelId = bundle.modelId();
        mapper = new DetectionMapper(modelId);
        batchCapacity = Math.max(1, Math.min(settings.batchSize(), detector.batchCapacity()));
        jpeg = new JpegCodec();
        openedAtMs = System.currentTimeMillis();
        gate = new GateDecider(gateSettings, concurrency);
        motion = new MotionSensor(gateSettings);
        gateState = getPartitionedState(new ValueStateDescriptor<>("gate", TypeInformation.of(GateState.class)));
        queue = new ArrayDeque<>();
        freePixels = new ArrayDeque<>();
        batch = new ArrayList<>();
        if (tensorWidth > 0 && tensorHeight > 0) {
            // the spatiotemporal stage's input: the whole frame stretched, RGB, 0..1
            tensorPre = new Preprocessor(tensorWidth, tensorHeight, ResizeMode.STRETCH, true, 0, 1f / 255, null, null);
            tensorBuf = FloatBuffer.allocate(3 * tensorWidth * tensorHeight);
        }
        boolean fellBack = detector.fallbackReason() != null;
        metrics = new DetectMetrics(getMetricGroup(), detector.provider().kind() == ExecutionProvider.Kind.CUDA, fellBack);
        if (fellBack) LOG.warn("detector {}: {}; running on CPU (set detect.requireProvider / --require-provider to fail instead)", modelId, detector.fallbackReason());
        LOG.info("detector {} on {} ready ({} frame(s) per run{}, {} run(s) at a time); gate: every {} frame(s), motion {}, max frame age {} ms", modelId, detector.provider(),
                batchCapacity, batchCapacity > 1 ? ", waiting up to " + settings.batchTimeout().toMillis() + " ms to fill" : ", no waiting",
                concurrency, gateSettings.every(), gateSettings.motion() ? "on" : "off", gateSettings.maxFrameAge().toMillis());
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
        GateState s = gateState.value();
        if (s == null) s = new GateState();
        long now = System.currentTimeMillis();
        // on the job's clock alone: a gateway whose clock is off changes no decision (FrameAge)
        long age = FrameAge.observe(s, now, f.tsMicros / 1000, gateSettings.maxFrameAge().toMillis());
        metrics.frameAgeMs.update(age);
        boolean moving = false;
        DetectMetrics.Camera m = metrics.camera(f.camera);
        if (gate.wantsMotion(age)) {
            try {
                long c = StageCpu.now();
                moving = motion.moving(f.camera, f.motionMask, f.payload, jpeg, s);
                metrics.cpuMotion.since(c);
            } catch (ImageCodecException e) {
                reject(f, "corrupt image: " + e.getMessage(), element);
                return;
            }
            m.frames++;
            if (moving) m.moving++;
        }
        // the backlog a restart left: frames that would have reached us, at the camera's quickest, before this instance opened
        boolean backlog = f.tsMicros / 1000 + s.leastDelayMs < openedAtMs;
        Inference inference = gate.decide(f, s, now, age, moving, backlog);
        gateState.update(s);
        m.share = s.share;
        m.count(inference);
        boolean run = inference == Inference.FULL;
        FrameInput input = null;
        float[] tensor = null;
        try {
            if (tensorPre != null) {
                // the spatiotemporal stage sees every frame, so with it every frame is decoded, at full size
                BgrImage image = jpeg.decode(f.payload);
                if (image.width() != f.width || image.height() != f.height) {
                    reject(f, "image is " + image.width() + "x" + image.height() + " but its headers say " + f.width + "x" + f.height, element);
                    return;
                }
                tensorBuf.clear();
                tensorPre.apply(image.pixels(), image.width(), image.height(), tensorBuf);
                tensor = tensorBuf.array().clone();
                if (run) input = FrameInput.of(image.pixels(), image.width(), image.height());
            } else if (run) {
                // decoded straight at the size the detector's letterbox needs (DCT scaling, then OpenCV's resize)
                JpegHeader header = JpegHeader.read(f.payload);
                if (header.width() != f.width || header.height() != f.height) {
                    reject(f, "image is " + header.width() + "x" + header.height() + " but its headers say " + f.width + "x" + f.height, element);
                    return;
                }
                int[] size = resizedSize(f.width, f.height);
                long c = StageCpu.now();
                byte[] pixels = freePixels.poll();
                if (pixels == null || pixels.length != size[0] * size[1] * 3) pixelArrays++;
                BgrImage small = jpeg.decodeResized(f.payload, size[0], size[1], pixels);
                metrics.cpuJpegDecode.since(c);
                input = FrameInput.resized(small.pixels(), size[0], size[1], f.width, f.height);
            }
        } catch (ImageCodecException e) {
            reject(f, "corrupt image: " + e.getMessage(), element);
            return;
        }
        Pending p = new Pending(element, inference, input, tensor);
        queue.add(p);
        if (run) batch.add(p);
        if (batch.size() >= batchCapacity) submit();
        if (batch.isEmpty()) drain();
        else flushWithin(settings.batchTimeout().toMillis());
    }

    /**
     * Detect runs at a time in one subtask: {@code detect.concurrency}, or when 0, on a CPU the cores this JVM sees
     * shared among the job's Detect subtasks (a small model gains little from a second intra-op thread: YOLOX-Nano
     * 20.7 ms a frame on one thread, 18.7 ms on two, so two runs on one thread each do nearly twice the frames), on
     * a GPU one (it runs batches, not threads).
     */
    static int resolveConcurrency(JobConfig.Detect settings, int subtasks, int cores) {
        if (settings.concurrency() > 0) return settings.concurrency();
        if (settings.executionProvider() != ExecutionProvider.CPU) return 1;
        return Math.max(1, cores / Math.max(1, subtasks));
    }

    /** Starts the batch's run (waiting first for a free worker when all are busy). */
    private void submit() throws Exception {
        if (batch.isEmpty()) return;
        List<FrameInput> inputs = new ArrayList<>(batch.size());
        for (Pending p : batch) inputs.add(p.input);
        DetectorPool.Run run = pool.submit(inputs, done -> {
            try {
                mailbox.execute(this::drain, "detections ready");
            } catch (RuntimeException closing) {
                // the task is closing: flush or close waits for the run itself
            }
        }, this::drain);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            p.run = run;
            p.index = i;
            p.input = null; // the pixels now belong to the run
        }
        batch.clear();
    }

    /** Starts what is batched, waits for every run and emits every frame: before barriers, watermarks and the end. */
    @Override
    protected void flush() throws Exception {
        submit();
        while (!queue.isEmpty()) {
            Pending head = queue.peek();
            if (head.run != null && !head.run.done()) head.run.latch.await();
            drain();
        }
    }

    /** Emits frames from the head of the queue while their runs are done (or they need none), in arrival order. */
    private void drain() throws Exception {
        while (!queue.isEmpty()) {
            Pending p = queue.peek();
            if (p.input != null || (p.run != null && !p.run.done())) return; // still batching, or still running
            queue.poll();
            FrameEnvelope f = p.record.getValue();
            DetectionEvent e;
            if (p.run != null) {
                DetectorPool.Run run = p.run;
                if (run.error != null) {
                    if (run.error instanceof Exception x) throw x;
                    throw new RuntimeException(run.error);
                }
                if (!run.accounted) {
                    run.accounted = true;
                    pool.retire(run);
                    metrics.inferenceMs.update(run.nanos / 1_000_000);
                    for (int i = 0; i < run.size; i++) gate.ran(run.doneMs, run.nanos / 1e6 / run.size);
                    metrics.batches.inc();
                    metrics.batchSizes.update(run.size);
                    metrics.cpuDetectorRun.add(run.cpuNanos);
                    recycle(run);
                    for (var r : run.results) {
                        metrics.nanosPreprocess.inc(r.preprocessNanos());
                        metrics.nanosInference.inc(r.inferenceNanos());
                        metrics.nanosDecodeNms.inc(r.decodeNanos());
                    }
                }
                long c = StageCpu.now();
                e = mapper.toEvent(f, run.results.get(p.index).detections());
                metrics.framesDetected.inc();
                setCurrentKey(f.camera);
                GateState s = gateState.value();
                if (s != null) {
                    gate.observeDetection(s, f.seq, DetectionMapper.centres(e), Math.max(1f, 0.002f * f.width));
                    gateState.update(s);
                }
                metrics.cpuEmit.since(c);
            } else {
                e = mapper.toEvent(f, List.of());
                e.inference = p.inference;
            }
            DetectedFrame out = DetectedFrame.of(e, p.tensor, f);
            if (p.record.hasTimestamp()) output.collect(new StreamRecord<>(out, p.record.getTimestamp()));
            else output.collect(new StreamRecord<>(out));
            metrics.framesOut.inc();
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

    private void reject(FrameEnvelope f, String reason, StreamRecord<FrameEnvelope> r) {
        metrics.framesRejected.inc();
        LOG.warn("frame {} to the dead-letter topic: {}", f.where(), reason);
        DeadLetter d = DeadLetters.of(f, reason);
        if (r.hasTimestamp()) output.collect(SideOutputs.DEADLETTER, new StreamRecord<>(d, r.getTimestamp()));
        else output.collect(SideOutputs.DEADLETTER, new StreamRecord<>(d));
    }

    /**
     * A finished run's pixel arrays go back to the pool (a bounded one: cameras of other sizes just allocate). Without
     * the spatiotemporal stage every input was decoded into such an array, whether or not the letterbox resized it: a
     * frame published at the letterbox's size (the gateway's default) is not "resized", and was once left to the GC,
     * 389 KB a frame.
     */
    private void recycle(DetectorPool.Run run) {
        if (tensorPre == null) {
            for (FrameInput in : run.inputs) {
                if (freePixels.size() < 4 * batchCapacity * pool.concurrency() + 4) freePixels.add(in.bgr());
            }
        }
        run.inputs = null;
    }

    private transient long openedAtMs; // when this instance opened (a start, a restore), on the job's clock
    private transient long pixelArrays; // pixel arrays allocated for decoding (the pool had none of the size)

    /** Pixel arrays the decode had to allocate: one per run in flight at a camera size once the pool is warm. */
    long pixelArraysAllocated() {
        return pixelArrays;
    }

    private transient int sizedW, sizedH; // 0 until the first frame: no frame is 0 wide
    private transient int[] sized;

    /** The detector's resized size for a frame size, kept for the last size seen (a camera's frames share one). */
    private int[] resizedSize(int w, int h) {
        if (w != sizedW || h != sizedH) {
            sized = pool.detector().resizedSize(w, h);
            sizedW = w;
            sizedH = h;
        }
        return sized;
    }

    /** For tests: detected frames per batch so far. */
    double meanBatchSize() {
        return metrics.meanBatchSize();
    }

    /** For tests: frames per detector run. */
    int batchCapacity() {
        return batchCapacity;
    }

    @Override
    public void close() throws Exception {
        if (pool != null) pool.close();
        if (jpeg != null) jpeg.close();
        if (motion != null) motion.close();
        super.close();
    }
}
