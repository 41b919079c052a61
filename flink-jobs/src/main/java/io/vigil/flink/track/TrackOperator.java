package io.vigil.flink.track;

import io.vigil.flink.event.DeadLetters;
import io.vigil.flink.action.TrackActions;
import io.vigil.flink.config.JobConfig;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.failure.Unrecoverable;
import io.vigil.flink.metrics.StageCpu;
import io.vigil.flink.state.ResetPolicy;
import io.vigil.flink.state.UpgradingValueState;
import io.vigil.spatiotemporal.model.MotionModel;
import io.vigil.spatiotemporal.track.ByteTracker;
import io.vigil.spatiotemporal.track.SsmMotion;
import io.vigil.spatiotemporal.track.TrackedBox;
import io.vigil.spatiotemporal.track.Track;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per camera (keyed by camera id): ByteTrack tracking gives every object of a confirmed track its {@code track} id and
 * velocity, then the configured {@link TrackActions} (if any) sees the frame and labels its confirmed person tracks on
 * the {@link SideOutputs#ACTIONS} side output. The tracker's motion predictor is its Kalman filter or, with a motion model
 * ({@code track.motion: ssm}), the selective scan, whose per-track states ride in the tracker's bytes. The tracker lives in keyed state as an object with a versioned
 * serializer ({@link TrackerSerializer}; savepoints that hold it as {@code byte[]} still restore).
 *
 * <p>Order and gaps follow the job's {@link ResetPolicy}: a replayed frame (a duplicate or regressing seq with an older
 * capture time) goes to the dead letters with why and changes no state; a seq jump, a pause or a restarted seq (lower,
 * with a newer capture time) restarts the camera's tracks and their action history, and the event says why in
 * {@code reset}.
 */
public class TrackOperator extends KeyedProcessFunction<String, DetectedFrame, DetectedFrame> {
    private static final long serialVersionUID = 1L;

    private final ResetPolicy policy;
    private final ByteTracker.Config trackerConfig;
    private final TrackActions actions;
    private final String motionModel; // absolute path of the selective-scan motion model, null: the Kalman filter

    private transient UpgradingValueState<ByteTracker> tracker;
    private transient SsmMotion motion; // one per subtask: its cameras' trackers share it (processElement is single-threaded)
    private transient ValueState<Long> lastSeq;
    private transient ValueState<Long> lastTs;
    private transient Counter late;
    private transient Counter resets;
    private transient StageCpu cpu;
    private transient Histogram latency;
    /** The detector's class names by id, learnt from its detections (the same for every camera), for predicted objects. */
    private transient Map<Integer, String> labels;

    /** @param actions the action model settings, its model path absolute (null model = no action labels) */
    public TrackOperator(ResetPolicy policy, JobConfig.Actions actions) {
        this(policy, ByteTracker.Config.defaults(), actions);
    }

    public TrackOperator(ResetPolicy policy, ByteTracker.Config trackerConfig, JobConfig.Actions actions) {
        this(policy, trackerConfig, actions, null);
    }

    /** @param motionModel the selective-scan motion model's file ({@code track.motion: ssm}), null for the Kalman filter */
    public TrackOperator(ResetPolicy policy, ByteTracker.Config trackerConfig, JobConfig.Actions actions, String motionModel) {
        this.policy = policy;
        this.trackerConfig = trackerConfig;
        this.actions = actions == null ? null : TrackActions.create(actions, trackerConfig.maxLost());
        this.motionModel = motionModel;
    }

    @Override
    public void open(OpenContext ctx) throws Exception {
        StateTtlConfig ttl = policy.ttl();
        // "tracker" held the same tracker as byte[] up to the first typed-state release
        tracker = UpgradingValueState.register(getRuntimeContext(), "tracks", TrackerSerializer.INSTANCE, "tracker",
                b -> ByteTracker.fromBytes(b, trackerConfig), ttl);
        if (motionModel != null) motion = Unrecoverable.open("motion model", () -> new SsmMotion(MotionModel.load(Path.of(motionModel), null)));
        lastSeq = longState("lastSeq", ttl);
        lastTs = longState("lastTsMicros", ttl);
        if (actions != null) Unrecoverable.open("action model", () -> {
            actions.open(getRuntimeContext(), ttl);
            return actions;
        });
        late = getRuntimeContext().getMetricGroup().counter("framesOutOfOrder");
        resets = getRuntimeContext().getMetricGroup().counter("stateResets");
        cpu = StageCpu.of(getRuntimeContext().getMetricGroup(), "Track");
        latency = getRuntimeContext().getMetricGroup().histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(1000));
        labels = new HashMap<>();
    }

    private ValueState<Long> longState(String name, StateTtlConfig ttl) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(name, Types.LONG);
        d.enableTimeToLive(ttl);
        return getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(DetectedFrame f, Context ctx, Collector<DetectedFrame> out) throws Exception {
        long c = StageCpu.now();
        DetectionEvent e = f.event;
        latency.update(Math.max(0, System.currentTimeMillis() - e.tsMicros / 1000));
        Long prevSeq = lastSeq.value();
        Long prevTs = lastTs.value();
        if (policy.isReplay(prevSeq, prevTs, e.frame, e.tsMicros)) {
            // a duplicate or a frame older than one already published: a second event for it would break "one event per
            // frame", so it goes to the dead letters with why, and no state changes
            late.inc();
            ctx.output(SideOutputs.DEADLETTER, DeadLetters.of(f, "seq " + e.frame + " is not above the camera's last seq " + prevSeq
                    + " (a duplicate or an out-of-order record): not processed again"));
            cpu.since(c);
            return;
        }
        ByteTracker t = tracker.value();
        String reason = policy.resetReason(prevSeq, prevTs, e.frame, e.tsMicros);
        if (t == null || reason != null) {
            t = new ByteTracker(trackerConfig, motion);
        } else {
            // restored from bytes, which hold no thresholds and no model
            if (t.config() != trackerConfig) t.reconfigure(trackerConfig);
            if (!t.usesMotion(motion)) t.useMotion(motion);
        }
        if (reason != null) {
            ResetPolicy.mark(e, reason);
            if (actions != null) actions.reset();
            resets.inc();
        }
        if (e.detected()) track(e, t, prevSeq, prevTs, labels);
        else predict(e, t, prevSeq, prevTs, labels);
        cpu.since(c); // the stages downstream run inside collect: not this stage's time
        out.collect(f);
        c = StageCpu.now();
        if (actions != null) actions.observe(e, a -> ctx.output(SideOutputs.ACTIONS, a));
        tracker.update(t);
        lastSeq.update(e.frame);
        lastTs.update(e.tsMicros);
        cpu.since(c);
    }

    /**
     * A frame the detector did not run on: the tracked tracks' predicted boxes (clamped to the frame), each with
     * {@code predicted: true}, its track's class and last score.
     */
    static void predict(DetectionEvent e, ByteTracker tracker, Long prevSeq, Long prevTs, Map<Integer, String> labels) {
        List<Track> shown = tracker.predict(e.width, e.height);
        double dtSeconds = secondsPerFrame(e, prevSeq, prevTs);
        List<DetectedObject> objects = new ArrayList<>(shown.size());
        for (Track t : shown) {
            double[] b = t.box();
            float x1 = clamp(b[0], e.width), y1 = clamp(b[1], e.height), x2 = clamp(b[2], e.width), y2 = clamp(b[3], e.height);
            if (x2 - x1 < 1 || y2 - y1 < 1) continue; // predicted out of the picture
            DetectedObject o = new DetectedObject();
            o.label = labels.getOrDefault(t.classId(), "class-" + t.classId());
            o.classId = t.classId();
            o.score = t.score();
            o.box = new float[] {x1, y1, x2, y2};
            o.boxNorm = new float[] {x1 / e.width, y1 / e.height, x2 / e.width, y2 / e.height};
            o.track = t.confirmed() ? t.id() : -1; // as on a detected frame: an id once the track is confirmed
            o.predicted = true;
            double[] v = t.velocity();
            if (dtSeconds > 0) o.velocity = new float[] {(float) (v[0] / dtSeconds), (float) (v[1] / dtSeconds)};
            objects.add(o);
        }
        e.objects = objects.toArray(DetectedObject[]::new);
    }

    private static float clamp(double v, int max) {
        return (float) Math.max(0, Math.min(max, v));
    }

    /** Capture time per frame since the previous frame, 0 when unknown. */
    private static double secondsPerFrame(DetectionEvent e, Long prevSeq, Long prevTs) {
        long frames = Math.max(1, e.frame - (prevSeq == null ? e.frame - 1 : prevSeq));
        return prevTs == null || e.tsMicros <= prevTs ? 0 : (e.tsMicros - prevTs) / 1e6 / frames;
    }

    /** Gives each object of a confirmed track its id and its velocity in pixels per second of capture time. */
    static void track(DetectionEvent e, ByteTracker tracker, Long prevSeq, Long prevTs, Map<Integer, String> labels) {
        int n = e.objects.length;
        float[][] boxes = new float[n][];
        float[] scores = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            boxes[i] = e.objects[i].box;
            scores[i] = e.objects[i].score;
            classes[i] = e.objects[i].classId;
        }
        for (DetectedObject o : e.objects) labels.putIfAbsent(o.classId, o.label);
        List<TrackedBox> tracked = tracker.update(boxes, scores, classes, e.width, e.height);
        double dtSeconds = secondsPerFrame(e, prevSeq, prevTs);
        for (TrackedBox b : tracked) {
            if (b.trackId() < 0) continue;
            DetectedObject o = e.objects[b.detection()];
            o.track = b.trackId();
            if (dtSeconds > 0) o.velocity = new float[] {(float) (b.vx() / dtSeconds), (float) (b.vy() / dtSeconds)};
        }
    }

    @Override
    public void close() {
        if (actions != null) actions.close();
    }
}
