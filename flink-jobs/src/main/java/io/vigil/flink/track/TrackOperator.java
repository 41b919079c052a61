package io.vigil.flink.track;

import io.vigil.flink.action.ActionEvent;
import io.vigil.flink.action.TrackWindows;
import io.vigil.flink.detect.DetectedObject;
import io.vigil.flink.detect.DetectionEvent;
import io.vigil.models.action.WindowedActionModel;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.track.ByteTracker;
import io.vigil.spatiotemporal.track.TrackedBox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per camera (keyed by camera id): ByteTrack tracking gives every object of a confirmed track its {@code track}
 * id and velocity; with an action model configured, each confirmed track's last W centre points go through the
 * windowed contract and a majority-smoothed label leaves on the {@link #ACTIONS} side output. With a trained
 * trajectory model (Vigil's streaming selective-scan classifier) instead, every new point of a confirmed track is one
 * model step from that track's recurrent state, no window kept. The tracker, the windows and the trajectory states
 * live in Flink keyed state (checkpointed, restored, rescaled with the camera).
 *
 * <p>Order policy: a frame whose vigil-seq is not above the last one seen for its camera (a replay, an
 * out-of-order arrival) is passed on untracked and changes no state. A jump of more than {@code maxSeqGap}
 * frames or a pause over {@code maxTimeGapMs} resets the camera's tracks, and the event says so in {@code reset}.
 */
public class TrackOperator extends KeyedProcessFunction<String, DetectionEvent, DetectionEvent> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<ActionEvent> ACTIONS = new OutputTag<>("actions") { };

    private final TrackSettings settings;

    private transient ValueState<byte[]> trackerState;
    private transient ValueState<byte[]> windowsState;
    private transient ValueState<io.vigil.flink.action.TrackTrajectories> trajectoriesState;
    private transient io.vigil.spatiotemporal.stream.StreamState trajectoryShape;
    private transient io.vigil.spatiotemporal.model.TrajectoryModel trajectory;
    private transient float[] trajectoryScores;
    private transient ValueState<Long> lastSeq;
    private transient ValueState<Long> lastTs;
    private transient WindowedActionModel action;
    private transient String actionModelId;
    private transient Counter late;
    private transient Counter resets;
    private transient Histogram latency;

    public TrackOperator(TrackSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(settings.stateTtlMs())).build();
        trackerState = state("tracker", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, ttl);
        windowsState = state("trackWindows", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, ttl);
        lastSeq = state("lastSeq", Types.LONG, ttl);
        lastTs = state("lastTsMicros", Types.LONG, ttl);
        ValueStateDescriptor<io.vigil.flink.action.TrackTrajectories> td =
                new ValueStateDescriptor<>("trackTrajectories", io.vigil.flink.action.TrackTrajectoriesSerializer.INSTANCE);
        td.enableTimeToLive(ttl);
        trajectoriesState = getRuntimeContext().getState(td);
        java.util.Optional<Path> trajectoryFile = settings.actionModelPath() == null ? java.util.Optional.empty()
                : io.vigil.flink.action.TrajectoryModels.weightsOf(Path.of(settings.actionModelPath()));
        if (trajectoryFile.isPresent()) {
            trajectory = io.vigil.spatiotemporal.model.TrajectoryModel.load(trajectoryFile.get(), null);
            trajectoryScores = new float[trajectory.classes()];
            trajectoryShape = trajectory.newState();
            actionModelId = io.vigil.flink.action.TrajectoryModels.modelId(trajectoryFile.get());
        } else if (settings.actionModelPath() != null) {
            ModelBundle b = ModelBundle.load(Path.of(settings.actionModelPath()));
            action = WindowedActionModel.open(b, ExecutionProvider.CPU, 1);
            actionModelId = b.modelId();
        }
        late = getRuntimeContext().getMetricGroup().counter("framesOutOfOrder");
        resets = getRuntimeContext().getMetricGroup().counter("stateResets");
        latency = getRuntimeContext().getMetricGroup().histogram("endToEndLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    private <T> ValueState<T> state(String name, org.apache.flink.api.common.typeinfo.TypeInformation<T> type, StateTtlConfig ttl) {
        ValueStateDescriptor<T> d = new ValueStateDescriptor<>(name, type);
        d.enableTimeToLive(ttl);
        return getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(DetectionEvent e, Context ctx, Collector<DetectionEvent> out) throws Exception {
        latency.update(Math.max(0, System.currentTimeMillis() - e.tsMicros / 1000));
        Long prevSeq = lastSeq.value();
        if (prevSeq != null && e.frame <= prevSeq) {
            late.inc();
            out.collect(e);
            return;
        }
        Long prevTs = lastTs.value();
        byte[] tb = trackerState.value();
        ByteTracker tracker = tb == null ? new ByteTracker(settings.tracker()) : ByteTracker.fromBytes(tb, settings.tracker());
        TrackWindows windows = windowsState.value() == null ? newWindows() : TrackWindows.fromBytes(windowsState.value());
        io.vigil.flink.action.TrackTrajectories trajectories = trajectory == null ? null : trajectoriesState.value();
        if (trajectory != null && trajectories == null) trajectories = new io.vigil.flink.action.TrackTrajectories(settings.actionVotes());
        if (trajectories != null) trajectories.checkShape(trajectoryShape);
        if (prevSeq != null) {
            long seqGap = e.frame - prevSeq;
            long timeGapMs = prevTs == null ? 0 : (e.tsMicros - prevTs) / 1000;
            if (seqGap > settings.maxSeqGap() || timeGapMs > settings.maxTimeGapMs()) {
                e.reset = seqGap > settings.maxSeqGap() ? "frame gap: " + (seqGap - 1) + " frames missing" : "camera paused for " + timeGapMs + " ms";
                tracker = new ByteTracker(settings.tracker());
                windows = newWindows();
                if (trajectories != null) trajectories = new io.vigil.flink.action.TrackTrajectories(settings.actionVotes());
                resets.inc();
            }
        }
        int n = e.objects.length;
        float[][] boxes = new float[n][];
        float[] scores = new float[n];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            boxes[i] = e.objects[i].box;
            scores[i] = e.objects[i].score;
            classes[i] = e.objects[i].classId;
        }
        List<TrackedBox> tracked = tracker.update(boxes, scores, classes);
        double dtSeconds = prevTs == null || e.tsMicros <= prevTs ? 0 : (e.tsMicros - prevTs) / 1e6 / Math.max(1, e.frame - (prevSeq == null ? e.frame - 1 : prevSeq));
        for (TrackedBox t : tracked) {
            if (t.trackId() < 0) continue;
            DetectedObject o = e.objects[t.detection()];
            o.track = t.trackId();
            if (dtSeconds > 0) o.velocity = new float[] {(float) (t.vx() / dtSeconds), (float) (t.vy() / dtSeconds)};
            if (action != null && settings.actionLabel().equals(o.label)) {
                windows.observe(t.trackId(), (o.box[0] + o.box[2]) / 2 / e.width, (o.box[1] + o.box[3]) / 2 / e.height, e.frame);
            }
            if (trajectories != null && settings.actionLabel().equals(o.label)
                    && trajectories.observe(t.trackId(), (o.box[0] + o.box[2]) / 2 / e.width, (o.box[1] + o.box[3]) / 2 / e.height, e.frame,
                    trajectory, trajectoryScores)) {
                int best = 0;
                for (int c = 1; c < trajectoryScores.length; c++) if (trajectoryScores[c] > trajectoryScores[best]) best = c;
                emit(e, t.trackId(), trajectories.vote(t.trackId(), best), trajectory.labels(), ctx);
            }
        }
        out.collect(e);
        if (action != null) classify(e, windows, ctx);
        windows.forgetOlderThan(e.frame - settings.tracker().maxLost());
        if (trajectories != null) {
            trajectories.forgetOlderThan(e.frame - settings.tracker().maxLost());
            trajectoriesState.update(trajectories);
        }
        trackerState.update(tracker.toBytes());
        windowsState.update(windows.toBytes());
        lastSeq.update(e.frame);
        lastTs.update(e.tsMicros);
    }

    private TrackWindows newWindows() {
        return new TrackWindows(action == null ? 16 : action.bundle().descriptor().action().window(), settings.actionVotes());
    }

    /** Labels every confirmed track of this frame that has a full window, in one model run. */
    private void classify(DetectionEvent e, TrackWindows windows, Context ctx) {
        List<Long> present = new ArrayList<>();
        for (DetectedObject o : e.objects) if (o.track >= 0 && settings.actionLabel().equals(o.label)) present.add(o.track);
        List<Long> ready = new ArrayList<>();
        for (Long id : windows.ready()) if (present.contains(id)) ready.add(id);
        if (ready.isEmpty()) return;
        float[][] in = new float[ready.size()][];
        for (int i = 0; i < in.length; i++) in[i] = windows.window(ready.get(i));
        List<WindowedActionModel.Prediction> p = action.classify(in, settings.actionThreshold());
        List<String> labels = action.bundle().labels();
        for (int i = 0; i < ready.size(); i++) emit(e, ready.get(i), windows.vote(ready.get(i), p.get(i).classId()), labels, ctx);
    }

    /** @param v the majority over the track's last K predictions: {class, agreeing, votes} */
    private void emit(DetectionEvent e, long track, int[] v, List<String> labels, Context ctx) {
        ActionEvent a = new ActionEvent();
        a.camera = e.camera;
        a.frame = e.frame;
        a.tsMicros = e.tsMicros;
        a.track = track;
        a.labels = new String[] {v[0] >= 0 && v[0] < labels.size() ? labels.get(v[0]) : "class" + v[0]};
        a.scores = new float[] {(float) v[1] / v[2]}; // the share of the last K predictions that agree
        a.model = actionModelId;
        ctx.output(ACTIONS, a);
    }

    @Override
    public void close() {
        if (action != null) action.close();
    }
}
