package io.vigil.flink.spatiotemporal;

import io.vigil.flink.MicroBatchOperator;
import io.vigil.flink.detect.DetectionEvent;
import io.vigil.models.export.OnnxSequenceRunner;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The spatiotemporal stage on the {@code onnx} backend: the model's blocks run as exported step graphs in ONNX
 * Runtime, with the cameras of this subtask batched. Frames are collected (up to {@code batchSize} or
 * {@code batchTimeoutMs}, flushed before every checkpoint barrier and watermark), the cameras' states are read
 * from keyed state, stepped together in one batch per round (a camera appears once per round, so its frames
 * stay in order), and written back. Same results as the {@code java} backend to 1e-4; same state and serializer.
 */
public class BatchedSpatiotemporalOperator extends MicroBatchOperator<DetectionEvent, DetectionEvent> {
    private static final long serialVersionUID = 1L;

    private final SpatiotemporalSettings settings;

    private transient SpatiotemporalModel model;
    private transient OnnxSequenceRunner runner;
    private transient ValueState<StreamState> state;
    private transient ValueState<Long> lastSeq;
    private transient ValueState<Long> lastTs;
    private transient Counter steps;
    private transient Counter rounds;
    private transient RecurrentHead head;
    private transient ValueState<byte[]> headState;

    public BatchedSpatiotemporalOperator(SpatiotemporalSettings settings, int batchSize, long batchTimeoutMs) {
        super(batchSize, batchTimeoutMs);
        this.settings = settings;
    }

    @Override
    public void open() throws Exception {
        super.open();
        model = SpatiotemporalModel.load(Path.of(settings.modelPath()), settings.kernel());
        runner = new OnnxSequenceRunner(model, ExecutionProvider.CPU, 1);
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(settings.stateTtlMs())).build();
        ValueStateDescriptor<StreamState> sd = new ValueStateDescriptor<>("ssmState", StreamStateSerializer.INSTANCE);
        sd.enableTimeToLive(ttl);
        ValueStateDescriptor<Long> qd = new ValueStateDescriptor<>("ssmLastSeq", Types.LONG);
        qd.enableTimeToLive(ttl);
        state = getPartitionedState(sd);
        lastSeq = getPartitionedState(qd);
        ValueStateDescriptor<Long> td = new ValueStateDescriptor<>("ssmLastTsMicros", Types.LONG);
        td.enableTimeToLive(ttl);
        lastTs = getPartitionedState(td);
        steps = getMetricGroup().counter("ssmSteps");
        rounds = getMetricGroup().counter("ssmBatches");
        if (settings.headPath() != null) {
            head = new RecurrentHead(settings.headPath());
            ValueStateDescriptor<byte[]> hd = new ValueStateDescriptor<>("headState",
                    org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            hd.enableTimeToLive(ttl);
            headState = getPartitionedState(hd);
        }
        getMetricGroup().gauge("ssmMeanBatchSize", () -> rounds.getCount() == 0 ? 0.0 : (double) steps.getCount() / rounds.getCount());
    }

    @Override
    protected void process(List<StreamRecord<DetectionEvent>> buffer) throws Exception {
        List<StreamRecord<DetectionEvent>> round = new ArrayList<>();
        Set<String> cameras = new HashSet<>();
        for (StreamRecord<DetectionEvent> r : buffer) {
            if (!cameras.add(r.getValue().camera)) {
                runRound(round);
                round.clear();
                cameras.clear();
                cameras.add(r.getValue().camera);
            }
            round.add(r);
        }
        runRound(round);
    }

    /** Steps every camera of the round once, in one batch, then emits the round in arrival order. */
    private void runRound(List<StreamRecord<DetectionEvent>> round) throws Exception {
        if (round.isEmpty()) return;
        List<DetectionEvent> stepping = new ArrayList<>();
        List<StreamState> states = new ArrayList<>();
        List<float[]> frames = new ArrayList<>();
        List<Boolean> wasReset = new ArrayList<>();
        for (StreamRecord<DetectionEvent> r : round) {
            DetectionEvent e = r.getValue();
            float[] tensor = e.tensor;
            e.tensor = null;
            setCurrentKey(e.camera);
            Long prev = lastSeq.value();
            if (tensor == null || (prev != null && e.frame <= prev)) continue;
            StreamState st = state.value();
            if (st == null) st = model.newState();
            String why = SpatiotemporalOperator.resetReason(settings, prev, e, lastTs.value());
            boolean reset = why != null;
            wasReset.add(reset);
            if (reset) {
                st.reset();
                e.reset = e.reset == null ? why : e.reset + "; " + why;
            }
            stepping.add(e);
            states.add(st);
            frames.add(tensor);
        }
        if (!stepping.isEmpty()) {
            float[][] results = new float[stepping.size()][model.config().dModel()];
            model.stepBatch(frames.toArray(new float[0][]), states.toArray(new StreamState[0]), results, runner);
            for (int i = 0; i < stepping.size(); i++) {
                DetectionEvent e = stepping.get(i);
                setCurrentKey(e.camera);
                state.update(states.get(i));
                lastSeq.update(e.frame);
                lastTs.update(e.tsMicros);
                e.embedding = results[i];
            }
            steps.inc(stepping.size());
            rounds.inc();
        }
        for (StreamRecord<DetectionEvent> r : round) output.collect(r);
        if (head != null && !stepping.isEmpty()) {
            float[][][] hs = new float[stepping.size()][][];
            for (int i = 0; i < hs.length; i++) {
                setCurrentKey(stepping.get(i).camera);
                byte[] hb = headState.value();
                hs[i] = hb == null || wasReset.get(i) ? head.newState() : RecurrentHead.fromBytes(hb);
            }
            io.vigil.flink.action.ActionEvent[] acts = head.step(stepping, hs);
            for (int i = 0; i < hs.length; i++) {
                setCurrentKey(stepping.get(i).camera);
                headState.update(RecurrentHead.toBytes(hs[i]));
                output.collect(io.vigil.flink.track.TrackOperator.ACTIONS, new StreamRecord<>(acts[i]));
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (runner != null) runner.close();
        if (head != null) head.close();
        super.close();
    }
}
