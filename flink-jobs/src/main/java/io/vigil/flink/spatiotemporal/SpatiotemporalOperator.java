package io.vigil.flink.spatiotemporal;

import io.vigil.flink.action.ActionEvent;
import io.vigil.flink.detect.DetectionEvent;
import io.vigil.flink.track.TrackOperator;
import java.util.List;
import io.vigil.spatiotemporal.model.SpatiotemporalModel;
import io.vigil.spatiotemporal.stream.StreamState;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per camera: one step of the spatiotemporal selective-scan model per frame, on the small frame tensor the
 * Detect operator attached, from the camera's {@link StreamState} in Flink keyed state (with its own versioned
 * serializer), so each frame costs the same however long the camera has streamed. The pooled per-frame vector
 * leaves in the event's {@code embedding} for downstream heads. A frame not newer than the last (a replay) is
 * passed on without a step; a seq jump over {@code maxSeqGap} resets the state and says so in {@code reset}.
 * With a trained recurrent head configured, its labels for the camera leave on the actions side output.
 */
public class SpatiotemporalOperator extends KeyedProcessFunction<String, DetectionEvent, DetectionEvent> {
    private static final long serialVersionUID = 1L;

    private final SpatiotemporalSettings settings;
    private transient SpatiotemporalModel model;
    private transient ValueState<StreamState> state;
    private transient ValueState<Long> lastSeq;
    private transient ValueState<Long> lastTs;
    private transient float[] out;
    private transient Counter steps;
    private transient Counter resets;
    private transient RecurrentHead head;
    private transient ValueState<byte[]> headState;

    public SpatiotemporalOperator(SpatiotemporalSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        model = SpatiotemporalModel.load(Path.of(settings.modelPath()), settings.kernel());
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(settings.stateTtlMs())).build();
        ValueStateDescriptor<StreamState> sd = new ValueStateDescriptor<>("ssmState", StreamStateSerializer.INSTANCE);
        sd.enableTimeToLive(ttl);
        state = getRuntimeContext().getState(sd);
        ValueStateDescriptor<Long> qd = new ValueStateDescriptor<>("ssmLastSeq", Types.LONG);
        qd.enableTimeToLive(ttl);
        lastSeq = getRuntimeContext().getState(qd);
        ValueStateDescriptor<Long> td = new ValueStateDescriptor<>("ssmLastTsMicros", Types.LONG);
        td.enableTimeToLive(ttl);
        lastTs = getRuntimeContext().getState(td);
        out = new float[model.config().dModel()];
        steps = getRuntimeContext().getMetricGroup().counter("ssmSteps");
        resets = getRuntimeContext().getMetricGroup().counter("ssmResets");
        if (settings.headPath() != null) {
            head = new RecurrentHead(settings.headPath());
            ValueStateDescriptor<byte[]> hd = new ValueStateDescriptor<>("headState",
                    org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            hd.enableTimeToLive(ttl);
            headState = getRuntimeContext().getState(hd);
        }
    }

    @Override
    public void processElement(DetectionEvent e, Context ctx, Collector<DetectionEvent> collector) throws Exception {
        float[] tensor = e.tensor;
        e.tensor = null;
        Long prev = lastSeq.value();
        if (tensor == null || (prev != null && e.frame <= prev)) {
            collector.collect(e);
            return;
        }
        StreamState st = state.value();
        if (st == null) st = model.newState();
        String why = resetReason(settings, prev, e, lastTs.value());
        boolean reset = why != null;
        if (reset) {
            st.reset();
            resets.inc();
            e.reset = e.reset == null ? why : e.reset + "; " + why;
        }
        model.step(tensor, st, out);
        steps.inc();
        state.update(st);
        lastSeq.update(e.frame);
        lastTs.update(e.tsMicros);
        e.embedding = out.clone();
        if (settings.saliency()) e.saliency = saliency();
        collector.collect(e);
        if (head != null) {
            byte[] hb = headState.value();
            float[][] hs = hb == null || reset ? head.newState() : RecurrentHead.fromBytes(hb);
            ActionEvent a = head.step(List.of(e), new float[][][] {hs})[0];
            headState.update(RecurrentHead.toBytes(hs));
            ctx.output(TrackOperator.ACTIONS, a);
        }
    }

    /** The frame's patch saliency scaled to a maximum of 1 (all zero stays zero). */
    private io.vigil.flink.detect.Saliency saliency() {
        var cfg = model.config();
        float[] v = new float[cfg.tokens()];
        model.saliency(v);
        float max = 0f;
        for (float f : v) max = Math.max(max, f);
        if (max > 0f) for (int i = 0; i < v.length; i++) v[i] /= max;
        return new io.vigil.flink.detect.Saliency(cfg.rows(), cfg.cols(), v);
    }

    @Override
    public void close() {
        if (head != null) head.close();
    }

    /** Why the state must restart at this frame (a seq jump or an idle camera), or null. */
    static String resetReason(SpatiotemporalSettings s, Long prevSeq, DetectionEvent e, Long prevTs) {
        if (prevSeq == null) return null;
        if (e.frame - prevSeq > s.maxSeqGap()) return "spatiotemporal state reset: " + (e.frame - prevSeq - 1) + " frames missing";
        if (prevTs != null && (e.tsMicros - prevTs) / 1000 > s.maxTimeGapMs()) {
            return "spatiotemporal state reset: camera idle for " + (e.tsMicros - prevTs) / 1000 + " ms";
        }
        return null;
    }
}
