package io.vigil.flink.spatiotemporal;

import io.vigil.flink.batch.MicroBatchOperator;
import io.vigil.flink.config.JobConfig;
import io.vigil.events.ActionEvent;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectionEvent;
import io.vigil.events.Saliency;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.failure.Unrecoverable;
import io.vigil.flink.state.ResetPolicy;
import io.vigil.models.export.OnnxSequenceRunner;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.SequenceRunner;
import io.vigil.spatiotemporal.model.SpatiotemporalConfig;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Per camera: one step of the spatiotemporal selective-scan model per frame, on the small frame tensor the Detect
 * operator attached, from the camera's {@link StreamState} in keyed state ({@link StreamStateSerializer}), so each frame
 * costs the same however long the camera has streamed. The pooled per-frame vector leaves in the event's
 * {@code embedding}; with a trained recurrent head configured, its labels for the camera leave on the actions side output.
 *
 * <p>Frames are collected in micro-batches (flushed before every checkpoint barrier and watermark) and stepped together,
 * one round per batch in which each camera appears once, so its frames stay in order. The blocks run on a
 * {@link SequenceRunner}: the model's Java kernel ({@code java} backend) or its blocks exported as ONNX step graphs with
 * the round's cameras stacked on the batch axis ({@code onnx}). Replays and gaps follow the job's {@link ResetPolicy}.
 * With saliency on, each frame is stepped alone, since the per-patch attention is read from the block's last scan.
 */
public class SpatiotemporalOperator extends MicroBatchOperator<DetectedFrame, DetectionEvent> {
    private static final long serialVersionUID = 1L;

    private final JobConfig.Spatiotemporal settings;
    private final ResetPolicy policy;

    private transient SpatiotemporalModel model;
    private transient SequenceRunner runner;
    private transient OnnxSequenceRunner onnx;
    private transient ValueState<StreamState> state;
    private transient ValueState<Long> lastSeq;
    private transient ValueState<Long> lastTs;
    private transient Counter steps;
    private transient Counter rounds;
    private transient Counter resets;
    private transient RecurrentHead head;
    private transient ValueState<byte[]> headState;
    // one round, reused
    private transient List<StreamRecord<DetectedFrame>> round;
    private transient Set<String> roundCameras;
    private transient List<DetectionEvent> stepping;
    private transient List<Boolean> wasReset;
    private transient float[][] frames;       // [batch][C·H·W]
    private transient StreamState[] states;   // [batch]
    private transient float[][] results;      // [batch][d_model]

    /**
     * @param settings  the section, its model and head paths absolute
     * @param batchSize frames per micro-batch (1: each frame as it comes)
     */
    public SpatiotemporalOperator(JobConfig.Spatiotemporal settings, ResetPolicy policy, int batchSize, long batchTimeoutMs) {
        super(batchSize, batchTimeoutMs);
        this.settings = settings;
        this.policy = policy;
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = Unrecoverable.open("spatiotemporal model", () -> SpatiotemporalModel.load(Path.of(settings.model()), settings.kernel()));
        if (settings.backend() == JobConfig.Backend.ONNX) {
            onnx = new OnnxSequenceRunner(model, ExecutionProvider.CPU, 1);
            runner = onnx;
        } else {
            runner = model.javaRunner();
        }
        StateTtlConfig ttl = policy.ttl();
        ValueStateDescriptor<StreamState> sd = new ValueStateDescriptor<>("ssmState", StreamStateSerializer.INSTANCE);
        sd.enableTimeToLive(ttl);
        state = getPartitionedState(sd);
        lastSeq = getPartitionedState(longState("ssmLastSeq", ttl));
        lastTs = getPartitionedState(longState("ssmLastTsMicros", ttl));
        steps = getMetricGroup().counter("ssmSteps");
        rounds = getMetricGroup().counter("ssmBatches");
        resets = getMetricGroup().counter("ssmResets");
        getMetricGroup().gauge("ssmMeanBatchSize", () -> rounds.getCount() == 0 ? 0.0 : (double) steps.getCount() / rounds.getCount());
        if (settings.head() != null) {
            head = Unrecoverable.open("spatiotemporal head", () -> new RecurrentHead(settings.head()));
            ValueStateDescriptor<byte[]> hd = new ValueStateDescriptor<>("headState", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            hd.enableTimeToLive(ttl);
            headState = getPartitionedState(hd);
        }
        round = new ArrayList<>();
        roundCameras = new HashSet<>();
        stepping = new ArrayList<>();
        wasReset = new ArrayList<>();
        frames = new float[0][];
        states = new StreamState[0];
        results = new float[0][];
    }

    private static ValueStateDescriptor<Long> longState(String name, StateTtlConfig ttl) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(name, Types.LONG);
        d.enableTimeToLive(ttl);
        return d;
    }

    @Override
    protected void process(List<StreamRecord<DetectedFrame>> buffer) throws Exception {
        for (StreamRecord<DetectedFrame> r : buffer) {
            if (!roundCameras.add(r.getValue().camera())) {
                runRound();
                roundCameras.add(r.getValue().camera());
            }
            round.add(r);
        }
        runRound();
    }

    /** Steps every camera of the round once, then emits the round in arrival order. */
    private void runRound() throws Exception {
        if (round.isEmpty()) return;
        int n = 0;
        for (StreamRecord<DetectedFrame> r : round) {
            DetectedFrame f = r.getValue();
            DetectionEvent e = f.event;
            setCurrentKey(e.camera);
            Long prev = lastSeq.value();
            Long prevTs = lastTs.value();
            if (f.tensor == null || policy.isReplay(prev, prevTs, e.frame, e.tsMicros)) continue;
            StreamState st = state.value();
            if (st == null) st = model.newState();
            String why = policy.resetReason(prev, prevTs, e.frame, e.tsMicros);
            if (why != null) {
                st.reset();
                resets.inc();
                ResetPolicy.mark(e, why);
            }
            ensureCapacity(n + 1);
            stepping.add(e);
            wasReset.add(why != null);
            frames[n] = f.tensor;
            states[n] = st;
            e.embedding = new float[model.config().dModel()];
            results[n] = e.embedding;
            n++;
        }
        if (n > 0) {
            if (settings.saliency()) {
                for (int i = 0; i < n; i++) {
                    model.step(frames[i], states[i], results[i]);
                    stepping.get(i).saliency = saliency();
                }
            } else {
                model.stepBatch(frames, states, results, n, runner);
            }
            for (int i = 0; i < n; i++) {
                DetectionEvent e = stepping.get(i);
                setCurrentKey(e.camera);
                state.update(states[i]);
                lastSeq.update(e.frame);
                lastTs.update(e.tsMicros);
                frames[i] = null;
                states[i] = null;
                results[i] = null;
            }
            steps.inc(n);
            rounds.inc();
        }
        for (StreamRecord<DetectedFrame> r : round) output.collect(r.replace(r.getValue().event));
        if (head != null && n > 0) stepHead();
        round.clear();
        roundCameras.clear();
        stepping.clear();
        wasReset.clear();
    }

    /** The head of every camera stepped this round, in one run; a camera whose SSM state restarted restarts its head too. */
    private void stepHead() throws Exception {
        float[][][] hs = new float[stepping.size()][][];
        for (int i = 0; i < hs.length; i++) {
            setCurrentKey(stepping.get(i).camera);
            byte[] hb = headState.value();
            hs[i] = hb == null || wasReset.get(i) ? head.newState() : RecurrentHead.fromBytes(hb);
        }
        ActionEvent[] acts = head.step(stepping, hs);
        for (int i = 0; i < hs.length; i++) {
            setCurrentKey(stepping.get(i).camera);
            headState.update(RecurrentHead.toBytes(hs[i]));
            output.collect(SideOutputs.ACTIONS, new StreamRecord<>(acts[i]));
        }
    }

    /** The last step's patch saliency scaled to a maximum of 1 (all zero stays zero). */
    private Saliency saliency() {
        SpatiotemporalConfig cfg = model.config();
        float[] v = new float[cfg.tokens()];
        model.saliency(v);
        float max = 0f;
        for (float f : v) max = Math.max(max, f);
        if (max > 0f) for (int i = 0; i < v.length; i++) v[i] /= max;
        return new Saliency(cfg.rows(), cfg.cols(), v);
    }

    private void ensureCapacity(int n) {
        if (n <= frames.length) return;
        int c = Math.max(n, 2 * frames.length);
        frames = Arrays.copyOf(frames, c);
        states = Arrays.copyOf(states, c);
        results = Arrays.copyOf(results, c);
    }

    @Override
    public void close() throws Exception {
        if (onnx != null) onnx.close();
        if (head != null) head.close();
        super.close();
    }
}
