package io.vigil.deploy.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.CameraState;
import io.vigil.video.gateway.CameraStats;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's per-camera counters as Prometheus series, read from {@link CameraGateway#stats()} at each scrape (no
 * second set of counters to keep in step). Every series has the label {@code camera}; the state is one series per
 * state with the value 1 for the camera's current one ({@code vigil_gateway_camera_state{camera, state}}), so a query
 * can count cameras by state.
 */
public final class GatewayMetrics implements MultiCollector {
    /** Every series this collector writes, as Prometheus names them (counters with their _total suffix). */
    public static final List<String> SERIES = List.of("vigil_gateway_frames_grabbed_total", "vigil_gateway_frames_published_total",
            "vigil_gateway_frames_dropped_total", "vigil_gateway_frames_failed_total", "vigil_gateway_reconnects_total",
            "vigil_gateway_fps", "vigil_gateway_frame_age_p95_ms", "vigil_gateway_decode_ms", "vigil_gateway_encode_ms",
            "vigil_gateway_camera_state");

    private final java.util.function.Supplier<List<CameraStats>> stats;

    public GatewayMetrics(CameraGateway gateway) {
        this(gateway::stats);
    }

    /** The cameras {@code stats} gives at each scrape (a group member's change as slots move). */
    public GatewayMetrics(java.util.function.Supplier<List<CameraStats>> stats) {
        this.stats = stats;
    }

    @Override
    public MetricSnapshots collect() {
        List<CameraStats> cams = stats.get();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(counter(cams, "vigil_gateway_frames_grabbed", "frames grabbed and decoded from the camera", CameraStats::grabbed));
        out.metricSnapshot(counter(cams, "vigil_gateway_frames_published", "frames acknowledged by Kafka on vigil.frames", CameraStats::published));
        out.metricSnapshot(counter(cams, "vigil_gateway_frames_dropped", "frames dropped keeping the latest (Kafka slower than the camera)", CameraStats::dropped));
        out.metricSnapshot(counter(cams, "vigil_gateway_frames_failed", "frames that could not be published (too large, send errors)", CameraStats::failed));
        out.metricSnapshot(counter(cams, "vigil_gateway_frames_as_captured", "frames published as the camera's own JPEG (MJPEG that fits): not decoded, not encoded",
                CameraStats::asCaptured));
        out.metricSnapshot(counter(cams, "vigil_gateway_reconnects", "times the camera's source was opened again", CameraStats::reconnects));
        out.metricSnapshot(gauge(cams, "vigil_gateway_fps", "frames published per second over the last heartbeat", CameraStats::fps));
        out.metricSnapshot(gauge(cams, "vigil_gateway_frame_age_p95_ms", "95th percentile of capture-to-acknowledgement age, recent frames (ms)",
                CameraStats::p95AgeMs));
        out.metricSnapshot(gauge(cams, "vigil_gateway_decode_ms", "mean grab + decode time per frame (ms)", CameraStats::decodeMsAvg));
        out.metricSnapshot(gauge(cams, "vigil_gateway_encode_ms", "mean resize + JPEG encode time per frame (ms)", CameraStats::encodeMsAvg));
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("vigil_gateway_camera_state").help("1 for the camera's current state");
        for (CameraStats s : cams) {
            for (CameraState st : CameraState.values()) {
                state.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("camera", s.camera(), "state", st.wire()))
                        .value(st.wire().equals(s.state()) ? 1 : 0).build());
            }
        }
        out.metricSnapshot(state.build());
        return out.build();
    }

    private static CounterSnapshot counter(List<CameraStats> cams, String name, String help, ToDoubleFunction<CameraStats> v) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        for (CameraStats s : cams) b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of("camera", s.camera())).value(v.applyAsDouble(s)).build());
        return b.build();
    }

    private static GaugeSnapshot gauge(List<CameraStats> cams, String name, String help, ToDoubleFunction<CameraStats> v) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (CameraStats s : cams) b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("camera", s.camera())).value(v.applyAsDouble(s)).build());
        return b.build();
    }
}
