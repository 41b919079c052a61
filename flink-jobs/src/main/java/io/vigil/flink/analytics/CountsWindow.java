package io.vigil.flink.analytics;

import io.vigil.events.CountsEvent;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's sums into the published {@link CountsEvent}. A window fires when the watermark passes its end; a
 * late frame within the allowed lateness fires it again with the new totals and {@code update: true}, so a consumer
 * keeps the latest event per (camera, rule, label, windowStart).
 */
public final class CountsWindow extends ProcessWindowFunction<CountsAggregate.Acc, CountsEvent, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private static final ValueStateDescriptor<Boolean> FIRED = new ValueStateDescriptor<>("fired", Types.BOOLEAN);

    @Override
    public void process(String key, Context ctx, Iterable<CountsAggregate.Acc> sums, Collector<CountsEvent> out) throws Exception {
        CountsAggregate.Acc a = sums.iterator().next();
        ValueState<Boolean> fired = ctx.windowState().getState(FIRED);
        CountsEvent c = new CountsEvent();
        c.camera = a.camera;
        c.rule = a.rule;
        c.kind = a.kind;
        c.label = a.label;
        c.windowStart = ctx.window().getStart();
        c.windowEnd = ctx.window().getEnd();
        c.in = a.in;
        c.out = a.out;
        c.entries = a.entries;
        c.exits = a.exits;
        c.maxOccupancy = a.maxOccupancy;
        c.meanOccupancy = a.occupancyFrames == 0 ? 0 : (double) a.occupancySum / a.occupancyFrames;
        c.meanDwellSeconds = a.dwellCount == 0 ? Double.NaN : a.dwellSum / a.dwellCount;
        c.update = Boolean.TRUE.equals(fired.value());
        fired.update(true);
        out.collect(c);
    }

    @Override
    public void clear(Context ctx) throws Exception {
        ctx.windowState().getState(FIRED).clear();
    }
}
