package io.vigil.deploy.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.Supplier;

/**
 * A gateway group member as Prometheus series, labelled {@code group} and {@code member}: the slots and cameras it
 * owns (summed over the members: every slot and camera once, or a rebalance in flight), the assignments it received,
 * and the slots it lost without handing them over (missed heartbeats, fenced), which a healthy group never counts.
 * Nothing is written before the member has joined.
 */
public final class GatewayGroupMetrics implements MultiCollector {
    /** A member's figures at one scrape. */
    public record Member(String group, String member, int slots, int cameras, long rebalances, long slotsLost) {}

    public static final List<String> SERIES = List.of("vigil_gateway_group_slots", "vigil_gateway_group_cameras",
            "vigil_gateway_group_rebalances_total", "vigil_gateway_group_slots_lost_total");

    private final Supplier<Member> member;

    /** @param member null until the member has joined */
    public GatewayGroupMetrics(Supplier<Member> member) {
        this.member = member;
    }

    @Override
    public MetricSnapshots collect() {
        Member m = member.get();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        if (m == null) return out.build();
        Labels l = Labels.of("group", m.group(), "member", m.member());
        out.metricSnapshot(GaugeSnapshot.builder().name("vigil_gateway_group_slots").help("slots of the group this member owns")
                .dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(m.slots()).build()).build());
        out.metricSnapshot(GaugeSnapshot.builder().name("vigil_gateway_group_cameras").help("cameras this member streams")
                .dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(m.cameras()).build()).build());
        out.metricSnapshot(CounterSnapshot.builder().name("vigil_gateway_group_rebalances").help("assignments this member received")
                .dataPoint(CounterDataPointSnapshot.builder().labels(l).value(m.rebalances()).build()).build());
        out.metricSnapshot(CounterSnapshot.builder().name("vigil_gateway_group_slots_lost").help("slots lost without a handover (missed heartbeats, fenced)")
                .dataPoint(CounterDataPointSnapshot.builder().labels(l).value(m.slotsLost()).build()).build());
        return out.build();
    }
}
