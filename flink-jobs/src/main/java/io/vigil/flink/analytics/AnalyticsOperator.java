package io.vigil.flink.analytics;

import io.vigil.events.analytics.CameraAnalytics;
import io.vigil.flink.metrics.StageCpu;
import io.vigil.events.analytics.CountDelta;
import io.vigil.events.rules.InvalidRuleException;
import io.vigil.events.rules.Rule;
import io.vigil.events.rules.RuleJson;
import io.vigil.events.rules.RuleSet;

import io.vigil.events.AnalyticsEvent;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.RuleRecord;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.state.ResetPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The analytics stage: the camera's tracked frames (keyed by camera) joined with every rule (broadcast from
 * {@code vigil.rules}). Rules live in broadcast state as their JSON, so they are checkpointed with the job and
 * survive failures and rescaling; each subtask keeps them parsed ({@link RuleSet}) and rebuilds that after a change or
 * a restore. An invalid rule is not stored: it goes to the dead letters with why, and the previous version of that
 * rule (if any) stays. The per-camera state ({@link CameraAnalytics}: tracks, visits, sides, hysteresis) is keyed
 * state with a versioned serializer.
 *
 * <p>Out: the frame, its objects given {@code speed} and {@code zones}; analytics events on {@link SideOutputs#ANALYTICS}
 * with the frame's position on the frames topic; per-frame {@link CountDelta}s on {@link #COUNT_DELTAS} for the windowed
 * counts.
 */
public class AnalyticsOperator extends KeyedBroadcastProcessFunction<String, DetectedFrame, RuleRecord, DetectedFrame> {
    private static final long serialVersionUID = 1L;

    /** id -> rule JSON, the valid rules. */
    public static final MapStateDescriptor<String, String> RULES = new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);
    public static final OutputTag<CountDelta> COUNT_DELTAS = new OutputTag<>("count-deltas") { };

    private final ResetPolicy policy;
    private transient ValueState<CameraAnalytics> state;
    private transient RuleSet parsed;
    private transient Counter invalidRules;
    private transient Counter events;
    private transient StageCpu cpu;
    /** Nanoseconds of rule work per frame of a camera with rules (state read and write included). */
    private transient org.apache.flink.metrics.Histogram frameNanos;

    public AnalyticsOperator(ResetPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void open(OpenContext ctx) {
        StateTtlConfig ttl = policy.ttl();
        ValueStateDescriptor<CameraAnalytics> d = new ValueStateDescriptor<>("analytics", CameraAnalyticsSerializer.INSTANCE);
        d.enableTimeToLive(ttl);
        state = getRuntimeContext().getState(d);
        invalidRules = getRuntimeContext().getMetricGroup().counter("rulesInvalid");
        events = getRuntimeContext().getMetricGroup().counter("analyticsEvents");
        cpu = StageCpu.of(getRuntimeContext().getMetricGroup(), "Analytics");
        frameNanos = getRuntimeContext().getMetricGroup().histogram("analyticsNanosPerFrame",
                new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void processBroadcastElement(RuleRecord r, Context ctx, Collector<DetectedFrame> out) throws Exception {
        BroadcastState<String, String> rules = ctx.getBroadcastState(RULES);
        if (r.id == null || r.id.isBlank()) {
            reject(ctx, r, null, "a record on " + r.topic + " without a key (the key is the rule id): ignored");
            return;
        }
        if (r.json == null) {
            rules.remove(r.id);
        } else {
            try {
                Rule rule = RuleJson.parse(r.id, r.json.getBytes(StandardCharsets.UTF_8));
                rules.put(r.id, r.json);
                if (rule.kind() == Rule.Kind.CALIBRATION) parsed = null;
            } catch (InvalidRuleException e) {
                reject(ctx, r, cameraOf(r.json), e.getMessage() + " (rule not applied"
                        + (rules.contains(r.id) ? "; its previous version stays)" : ")"));
                return;
            }
        }
        parsed = null; // rebuilt on the next frame
    }

    private void reject(Context ctx, RuleRecord r, String camera, String reason) {
        invalidRules.inc();
        // every subtask sees every rule: one of them reports it
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) return;
        DeadLetter d = new DeadLetter();
        d.camera = camera;
        d.tsMicros = r.timestampMs * 1000;
        d.reason = reason;
        d.topic = r.topic;
        d.partition = r.partition;
        d.offset = r.offset;
        ctx.output(SideOutputs.DEADLETTER, d);
    }

    /** The camera named in a rule that failed validation, when it can be read at all (for the dead letter). */
    private static String cameraOf(String json) {
        try {
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            return n != null && n.path("camera").isTextual() ? n.path("camera").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    public void processElement(DetectedFrame f, ReadOnlyContext ctx, Collector<DetectedFrame> out) throws Exception {
        long c = StageCpu.now();
        RuleSet rules = rules(ctx.getBroadcastState(RULES));
        DetectionEvent e = f.event;
        CameraAnalytics a = state.value();
        if (rules.forCamera(e.camera).isEmpty()) {
            if (a != null) state.clear(); // the camera's last rule went: nothing to carry
            cpu.since(c);
            out.collect(f);
            return;
        }
        long t0 = System.nanoTime();
        if (a == null) a = new CameraAnalytics();
        a.retainRules(rules.ids());
        List<CountDelta> deltas = new ArrayList<>();
        if (e.reset != null) a.reset(e, rules, e.reset, x -> emit(f, x, ctx, deltas, rules));
        a.observe(e, rules, x -> emit(f, x, ctx, deltas, rules), (rule, label, count) -> {
            CountDelta d = delta(e.camera, rules.byId(rule), label);
            d.occupancy = count;
            deltas.add(d);
        });
        for (CountDelta d : deltas) ctx.output(COUNT_DELTAS, d);
        state.update(a);
        frameNanos.update(System.nanoTime() - t0);
        cpu.since(c); // the stages downstream run inside collect
        out.collect(f);
    }

    private void emit(DetectedFrame f, AnalyticsEvent x, ReadOnlyContext ctx, List<CountDelta> deltas, RuleSet rules) {
        x.frameTopic = f.topic;
        x.framePartition = f.partition;
        x.frameOffset = f.offset;
        events.inc();
        ctx.output(SideOutputs.ANALYTICS, x);
        Rule r = rules.byId(x.rule);
        if (r == null || x.label == null) return;
        CountDelta d = delta(x.camera, r, x.label);
        switch (x.type) {
            case LINE_CROSS -> {
                if ("in".equals(x.direction)) d.in = 1;
                else d.out = 1;
            }
            case ZONE_ENTER -> d.entries = 1;
            case ZONE_EXIT -> {
                d.exits = 1;
                d.dwellSeconds = x.dwellSeconds;
            }
            default -> {
                return;
            }
        }
        deltas.add(d);
    }

    private static CountDelta delta(String camera, Rule r, String label) {
        CountDelta d = new CountDelta();
        d.camera = camera;
        d.rule = r.id();
        d.kind = r.kind().json;
        d.label = label;
        return d;
    }

    private RuleSet rules(ReadOnlyBroadcastState<String, String> stored) throws Exception {
        if (parsed != null) return parsed;
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> e : stored.immutableEntries()) {
            try {
                rules.add(RuleJson.parse(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8)));
            } catch (InvalidRuleException ex) {
                // stored rules were valid when stored; a newer job that reads them stricter skips them (counted)
                invalidRules.inc();
            }
        }
        parsed = RuleSet.of(rules);
        return parsed;
    }
}
