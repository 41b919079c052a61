package io.vigil.flink.analytics;

import io.vigil.events.analytics.CountDelta;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Sums one rule's {@link CountDelta}s for one label within a window. */
public final class CountsAggregate implements AggregateFunction<CountDelta, CountsAggregate.Acc, CountsAggregate.Acc> {
    private static final long serialVersionUID = 1L;

    /** The running sums (a Flink POJO). */
    public static class Acc {
        public String camera;
        public String rule;
        public String kind;
        public String label;
        public long in;
        public long out;
        public long entries;
        public long exits;
        public int maxOccupancy;
        public long occupancySum;
        public long occupancyFrames;
        public double dwellSum;
        public long dwellCount;

        public Acc() {}
    }

    @Override
    public Acc createAccumulator() {
        return new Acc();
    }

    @Override
    public Acc add(CountDelta d, Acc a) {
        a.camera = d.camera;
        a.rule = d.rule;
        a.kind = d.kind;
        a.label = d.label;
        a.in += d.in;
        a.out += d.out;
        a.entries += d.entries;
        a.exits += d.exits;
        if (d.occupancy >= 0) {
            a.maxOccupancy = Math.max(a.maxOccupancy, d.occupancy);
            a.occupancySum += d.occupancy;
            a.occupancyFrames++;
        }
        if (!Double.isNaN(d.dwellSeconds)) {
            a.dwellSum += d.dwellSeconds;
            a.dwellCount++;
        }
        return a;
    }

    @Override
    public Acc getResult(Acc a) {
        return a;
    }

    @Override
    public Acc merge(Acc a, Acc b) {
        Acc m = new Acc();
        m.camera = a.camera != null ? a.camera : b.camera;
        m.rule = a.rule != null ? a.rule : b.rule;
        m.kind = a.kind != null ? a.kind : b.kind;
        m.label = a.label != null ? a.label : b.label;
        m.in = a.in + b.in;
        m.out = a.out + b.out;
        m.entries = a.entries + b.entries;
        m.exits = a.exits + b.exits;
        m.maxOccupancy = Math.max(a.maxOccupancy, b.maxOccupancy);
        m.occupancySum = a.occupancySum + b.occupancySum;
        m.occupancyFrames = a.occupancyFrames + b.occupancyFrames;
        m.dwellSum = a.dwellSum + b.dwellSum;
        m.dwellCount = a.dwellCount + b.dwellCount;
        return m;
    }
}
