package io.vigil.flink.detect;

import io.vigil.flink.event.DeadLetters;
import io.vigil.flink.config.JobConfig;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.failure.Unrecoverable;
import io.vigil.flink.gate.DetectGate;
import io.vigil.flink.gate.DetectorBudget;
import io.vigil.flink.gate.GateState;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import io.vigil.models.detect.Preprocessor;
import io.vigil.models.detect.ResizeMode;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageCodecException;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.motion.MotionDetector;
import io.vigil.video.motion.MotionMask;
import io.vigil.video.motion.Mog2Motion;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
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
 * <p>Frames that cannot be processed go to {@link SideOutputs#DEADLETTER} with the reason (broken wire format, more
 * pixels than {@code maxPixels}, corrupt image, size disagreeing with the headers). The job never fails on bad input.
 */
public class DetectOperator extends AbstractStreamOperator<DetectedFrame> implements OneInputStreamOperator<FrameEnvelope, DetectedFrame>,
        ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DetectOperator.class);

    private final JobConfig.Detect settings;
    private final JobConfig.Gate gateSettings;
    private final int tensorWidth;
    private final int tensorHeight;
    private final long[] failAfterFrames;

    private transient Detector detector;                 // the task thread's (concurrency 1) or the first worker's
    private transient ArrayBlockingQueue<Detector> idle;  // workers' detectors not running now (concurrency > 1)
    private transient ExecutorService workers;            // null: runs on the task thread
    private transient MailboxExecutor mailbox;
    private transient int concurrency;
    private transient ArrayDeque<Run> running;            // runs handed to a worker and not yet emitted, oldest first
    private transient JpegCodec jpeg;
    private transient String modelId;
    private transient int batchCapacity;
    private transient DetectGate gate;
    private transient DetectorBudget budget;
    private transient MotionDetector motion;
    private transient LinkedHashMap<String, Mog2Motion> mog2; // camera -> its model (motionModel mog2), least recently seen first
    private transient ValueState<GateState> gateState;
    private transient ArrayDeque<Pending> queue;         // every frame not yet emitted, in arrival order
    private transient List<Pending> batch;               // frames to detect not yet handed to a run
    private transient boolean timerSet;
    private transient byte[] grey;
    private transient Map<String, CameraMetrics> cameraMetrics;
    private transient Map<String, boolean[]> masks;         // camera + "|" + mask + "|" + w + "x" + h -> [h*w]
    private transient Counter framesOk;
    private transient Counter framesDetected;
    private transient Counter framesBad;
    private transient Counter batches;
    private transient Histogram batchSizes;
    private transient Histogram inferenceMs;
    private transient Histogram frameAgeMs;
    private transient long processedThisAttempt;
    private transient Preprocessor tensorPre;
    private transient FloatBuffer tensorBuf;

    /** A frame waiting to leave: to detect (image set, then its run and its place in it) or to pass on with the reason it was skipped. */
    private static final class Pending {
        final StreamRecord<FrameEnvelope> record;
        final String inference;
        BgrImage image;
        final float[] tensor;
        Run run;
        int index;

        Pending(StreamRecord<FrameEnvelope> record, String inference, BgrImage image, float[] tensor) {
            this.record = record;
            this.inference = inference;
            this.image = image;
            this.tensor = tensor;
        }
    }

    /** One detector run over a batch of frames, on the task thread or a worker; done once {@code latch} opens. */
    private static final class Run {
        final CountDownLatch latch = new CountDownLatch(1);
        final int size;
        volatile List<DetectionResult> results;
        volatile Throwable error;
        volatile long nanos;
        volatile long doneMs;
        boolean accounted;

        Run(int size) {
            this.size = size;
        }

        boolean done() {
            return latch.getCount() == 0;
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
        concurrency = resolveConcurrency(settings, subtasks, Runtime.getRuntime().availableProcessors());
        int threads = settings.threads() > 0 || concurrency == 1 ? settings.threads() : 1;
        DetectorOptions opts = DetectorOptions.defaults().withProvider(settings.executionProvider()).withThreads(threads)
                .withScoreThreshold(settings.scoreThreshold()).withMaxBatch(settings.batchSize()).withRequireProvider(settings.requireProvider());
        detector = Unrecoverable.open("detector", () -> Detector.open(bundle, opts));
        modelId = bundle.modelId();
        batchCapacity = Math.max(1, Math.min(settings.batchSize(), detector.batchCapacity()));
        if (concurrency > 1) {
            // one detector (buffers) per worker over the one shared session: ONNX Runtime runs concurrent calls of a
            // session, each on its caller's thread when the session has one intra-op thread
            idle = new ArrayBlockingQueue<>(concurrency);
            idle.add(detector);
            for (int i = 1; i < concurrency; i++) idle.add(Unrecoverable.open("detector", () -> Detector.open(bundle, opts)));
            String name = "vigil-detect-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-";
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            workers = Executors.newFixedThreadPool(concurrency, r -> {
                Thread t = new Thread(r, name + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
            mailbox = getContainingTask().getMailboxExecutorFactory().createExecutor(getOperatorConfig().getChainIndex());
        }
        jpeg = new JpegCodec();
        gate = new DetectGate(new DetectGate.Settings(gateSettings.every(), gateSettings.motion(), gateSettings.maxFrameAge().toMillis(),
                gateSettings.motionRefresh()));
        budget = new DetectorBudget();
        budget.parallelRuns(concurrency);
        motion = new MotionDetector(new MotionDetector.Settings(gateSettings.motionThreshold(), gateSettings.motionMinArea(),
                MotionDetector.Settings.defaults().learningRate(), MotionDetector.Settings.defaults().warmupFrames()));
        if ("mog2".equals(gateSettings.motionModel())) mog2 = new LinkedHashMap<>(16, 0.75f, true);
        gateState = getPartitionedState(new ValueStateDescriptor<>("gate", TypeInformation.of(GateState.class)));
        queue = new ArrayDeque<>();
        running = new ArrayDeque<>();
        batch = new ArrayList<>();
        cameraMetrics = new HashMap<>();
        masks = new HashMap<>();
        if (tensorWidth > 0 && tensorHeight > 0) {
            // the spatiotemporal stage's input: the whole frame stretched, RGB, 0..1
            tensorPre = new Preprocessor(tensorWidth, tensorHeight, ResizeMode.STRETCH, true, 0, 1f / 255, null, null);
            tensorBuf = FloatBuffer.allocate(3 * tensorWidth * tensorHeight);
        }
        MetricGroup g = getMetricGroup();
        framesOk = g.counter("framesOut");
        framesDetected = g.counter("framesDetected");
        framesBad = g.counter("framesRejected");
        batches = g.counter("batches");
        batchSizes = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMs = g.histogram("inferenceMs", new DescriptiveStatisticsHistogram(1000));
        frameAgeMs = g.histogram("frameAgeMs", new DescriptiveStatisticsHistogram(2000));
        g.meter("framesPerSecond", new MeterView(framesDetected));
        g.gauge("meanBatchSize", () -> batches.getCount() == 0 ? 0.0 : (double) framesDetected.getCount() / batches.getCount());
        // the provider really used, as numbers a dashboard can alert on: a "GPU" deployment that fell back to CPU shows 1 here
        boolean onGpu = detector.provider().kind() == io.vigil.models.runtime.ExecutionProvider.Kind.CUDA;
        boolean fellBack = detector.fallbackReason() != null;
        g.gauge("detectorOnGpu", () -> onGpu ? 1 : 0);
        g.gauge("detectorProviderFallback", () -> fellBack ? 1 : 0);
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
        long age = Math.max(0, now - f.tsMicros / 1000);
        frameAgeMs.update(age);
        int every = f.detectEvery > 0 ? f.detectEvery : gateSettings.every();
        double weight = f.detectWeight > 0 ? f.detectWeight : 1;
        boolean moving = false;
        long maxAge = gateSettings.maxFrameAge().toMillis();
        boolean tooOld = maxAge > 0 && age > maxAge;
        CameraMetrics m = metrics(f.camera);
        if (gateSettings.motion() && !tooOld) {
            JpegCodec.GreyImage small;
            try {
                small = jpeg.decodeGreyEighth(f.payload, grey);
            } catch (ImageCodecException e) {
                reject(f, "corrupt image: " + e.getMessage(), element);
                return;
            }
            grey = small.pixels();
            boolean[] ignore = mask(f, small.width(), small.height());
            if (mog2 != null) {
                moving = mog2(f.camera).update(grey, small.width(), small.height(), ignore).motion();
            } else {
                if (s.motion == null) s.motion = new MotionDetector.State();
                moving = motion.update(s.motion, grey, small.width(), small.height(), ignore).motion();
            }
            m.frames++;
            if (moving) m.moving++;
        }
        double allowed = 1;
        if (maxAge > 0) {
            // the budget aims at half the limit, so the queue in front of the detector stays well under it
            budget.arrived(f.camera, weight, f.tsMicros, now, gate.passesMotion(s, f.seq, moving), every);
            budget.observeAge(age, maxAge / 2, now);
            allowed = budget.share(f.camera, now);
        }
        String inference = gate.decide(s, f.seq, every, allowed, age, moving);

        gateState.update(s);
        m.share = s.share;
        m.count(inference);
        BgrImage image = null;
        float[] tensor = null;
        if (inference.equals(DetectionEvent.FULL) || tensorPre != null) {
            // the spatiotemporal stage sees every frame, so with it every frame is decoded
            try {
                image = jpeg.decode(f.payload);
            } catch (ImageCodecException e) {
                reject(f, "corrupt image: " + e.getMessage(), element);
                return;
            }
            if (image.width() != f.width || image.height() != f.height) {
                reject(f, "image is " + image.width() + "x" + image.height() + " but its headers say " + f.width + "x" + f.height, element);
                return;
            }
            if (tensorPre != null) {
                tensorBuf.clear();
                tensorPre.apply(image.pixels(), image.width(), image.height(), tensorBuf);
                tensor = tensorBuf.array().clone();
            }
        }
        boolean run = inference.equals(DetectionEvent.FULL);
        Pending p = new Pending(element, inference, run ? image : null, tensor);
        queue.add(p);
        if (run) batch.add(p);
        if (batch.size() >= batchCapacity) submit();
        if (batch.isEmpty()) {
            drain();
        } else if (!timerSet) {
            timerSet = true;
            getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime() + settings.batchTimeout().toMillis(), this);
        }
    }

    /**
     * Detect runs at a time in one subtask: {@code detect.concurrency}, or when 0, on a CPU the cores this JVM sees
     * shared among the job's Detect subtasks (a small model gains little from a second intra-op thread: YOLOX-Nano
     * 20.7 ms a frame on one thread, 18.7 ms on two, so two runs on one thread each do nearly twice the frames), on
     * a GPU one (it runs batches, not threads).
     */
    static int resolveConcurrency(JobConfig.Detect settings, int subtasks, int cores) {
        if (settings.concurrency() > 0) return settings.concurrency();
        if (settings.executionProvider() != io.vigil.models.runtime.ExecutionProvider.CPU) return 1;
        return Math.max(1, cores / Math.max(1, subtasks));
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerSet = false;
        flushAll();
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flushAll();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushAll();
    }

    @Override
    public void finish() throws Exception {
        flushAll();
        super.finish();
    }

    /** Starts the batch's run, waiting first for a free worker when all are busy; on the task thread when concurrency is 1. */
    private void submit() throws Exception {
        if (batch.isEmpty()) return;
        List<FrameInput> inputs = new ArrayList<>(batch.size());
        Run run = new Run(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            inputs.add(new FrameInput(p.image.pixels(), p.image.width(), p.image.height()));
            p.run = run;
            p.index = i;
            p.image = null; // the pixels now belong to the run
        }
        batch.clear();
        if (workers == null) {
            execute(detector, run, inputs);
            run.latch.countDown();
            return;
        }
        while (running.size() >= concurrency) {
            // the oldest run may be done already, its frames waiting for the mail that emits them: emit them first
            drain();
            if (running.size() >= concurrency) running.peek().latch.await();
        }
        Detector d = idle.poll();
        if (d == null) throw new IllegalStateException("no idle detector with " + running.size() + " of " + concurrency + " runs in flight");
        running.add(run);
        workers.execute(() -> {
            try {
                execute(d, run, inputs);
            } finally {
                idle.add(d); // before the run shows done: the task thread may start the next run at once
                run.latch.countDown();
                try {
                    mailbox.execute(this::drain, "detections ready");
                } catch (RuntimeException closing) {
                    // the task is closing: flushAll or close waits for the run itself
                }
            }
        });
    }

    private static void execute(Detector d, Run run, List<FrameInput> inputs) {
        try {
            long t0 = System.nanoTime();
            run.results = d.detectBatch(inputs);
            run.nanos = System.nanoTime() - t0;
        } catch (Throwable t) {
            run.error = t;
        } finally {
            run.doneMs = System.currentTimeMillis();
        }
    }

    /** Starts what is batched, waits for every run and emits every frame: before barriers, watermarks and the end. */
    private void flushAll() throws Exception {
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
            if (p.image != null || (p.run != null && !p.run.done())) return; // still batching, or still running
            queue.poll();
            FrameEnvelope f = p.record.getValue();
            DetectionEvent e;
            if (p.run != null) {
                Run run = p.run;
                if (run.error != null) {
                    if (run.error instanceof Exception x) throw x;
                    throw new RuntimeException(run.error);
                }
                if (!run.accounted) {
                    run.accounted = true;
                    running.remove(run);
                    inferenceMs.update(run.nanos / 1_000_000);
                    for (int i = 0; i < run.size; i++) budget.ran(run.doneMs, run.nanos / 1e6 / run.size);
                    batches.inc();
                    batchSizes.update(run.size);
                }
                e = toEvent(f, run.results.get(p.index).detections());
                framesDetected.inc();
                setCurrentKey(f.camera);
                GateState s = gateState.value();
                if (s != null) {
                    gate.observeDetection(s, f.seq, centres(e), Math.max(1f, 0.002f * f.width));
                    gateState.update(s);
                }
            } else {
                e = toEvent(f, List.of());
                e.inference = p.inference;
            }
            DetectedFrame out = DetectedFrame.of(e, p.tensor, f);
            if (p.record.hasTimestamp()) output.collect(new StreamRecord<>(out, p.record.getTimestamp()));
            else output.collect(new StreamRecord<>(out));
            framesOk.inc();
            injectFailureIfAsked();
        }
    }

    private static float[] centres(DetectionEvent e) {
        float[] c = new float[e.objects.length * 2];
        for (int i = 0; i < e.objects.length; i++) {
            float[] b = e.objects[i].box;
            c[2 * i] = (b[0] + b[2]) / 2;
            c[2 * i + 1] = (b[1] + b[3]) / 2;
        }
        return c;
    }

    /**
     * The camera's MOG2 model, made on its first frame (again after a restore: its first warm-up frames count as motion).
     * At most {@link #MAX_MOG2_CAMERAS} are kept; the least recently seen camera's is freed first.
     */
    private Mog2Motion mog2(String camera) {
        Mog2Motion m = mog2.get(camera);
        if (m == null) {
            if (mog2.size() >= MAX_MOG2_CAMERAS) {
                var eldest = mog2.entrySet().iterator().next();
                eldest.getValue().close();
                mog2.remove(eldest.getKey());
            }
            m = new Mog2Motion(gateSettings.motionMinArea(), MotionDetector.Settings.defaults().warmupFrames());
            mog2.put(camera, m);
        }
        return m;
    }

    static final int MAX_MOG2_CAMERAS = 4096;

    /** The camera's motion mask at the grey size, rasterized once per (mask, size); a malformed mask is said once and ignored. */
    private boolean[] mask(FrameEnvelope f, int w, int h) {
        if (f.motionMask == null || f.motionMask.isBlank()) return null;
        String key = f.camera + "|" + f.motionMask + "|" + w + "x" + h;
        if (masks.containsKey(key)) return masks.get(key);
        boolean[] m = null;
        try {
            m = MotionMask.rasterize(MotionMask.parse(f.motionMask), w, h);
        } catch (IllegalArgumentException e) {
            LOG.warn("camera {}: motion mask ignored: {}", f.camera, e.getMessage());
        }
        if (masks.size() > 10_000) masks.clear();
        masks.put(key, m);
        return m;
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
        DeadLetter d = DeadLetters.of(f, reason);
        if (r.hasTimestamp()) output.collect(SideOutputs.DEADLETTER, new StreamRecord<>(d, r.getTimestamp()));
        else output.collect(SideOutputs.DEADLETTER, new StreamRecord<>(d));
    }

    /** Per camera: frames by inference, detector share, moving share of motion-checked frames (metric group camera=ID). */
    private CameraMetrics metrics(String camera) {
        CameraMetrics m = cameraMetrics.get(camera);
        if (m == null) {
            m = new CameraMetrics(getMetricGroup().addGroup("camera", camera));
            cameraMetrics.put(camera, m);
        }
        return m;
    }

    private static final class CameraMetrics {
        final Counter full, interval, motionSkip, overload;
        volatile double share = 1;
        long frames, moving;

        CameraMetrics(MetricGroup g) {
            full = g.counter("framesDetected");
            interval = g.counter("framesSkippedInterval");
            motionSkip = g.counter("framesSkippedMotion");
            overload = g.counter("framesSkippedOverload");
            g.gauge("detectorShare", () -> share);
            g.gauge("effectiveInterval", () -> share <= 0 ? 0.0 : 1 / share);
            g.gauge("motionRatio", () -> frames == 0 ? 0.0 : (double) moving / frames);
        }

        void count(String inference) {
            switch (inference) {
                case DetectionEvent.FULL -> full.inc();
                case DetectionEvent.INTERVAL -> interval.inc();
                case DetectionEvent.MOTION -> motionSkip.inc();
                default -> overload.inc();
            }
        }
    }

    /** For tests: detected frames per batch so far. */
    double meanBatchSize() {
        return batches.getCount() == 0 ? 0 : (double) framesDetected.getCount() / batches.getCount();
    }

    /** For tests: frames per detector run. */
    int batchCapacity() {
        return batchCapacity;
    }

    @Override
    public void close() throws Exception {
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(30, TimeUnit.SECONDS); // a run in flight still uses its detector's buffers
        }
        if (jpeg != null) jpeg.close();
        if (mog2 != null) mog2.values().forEach(Mog2Motion::close);
        if (idle != null) {
            for (Detector d : idle) d.close();
        } else if (detector != null) {
            detector.close();
        }
        super.close();
    }
}
