package io.vigil.flink.detect;

import io.vigil.events.Inference;
import io.vigil.flink.metrics.StageCpu;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/** The Detect stage's metrics: the subtask's frames, runs and ages, and per camera (group camera=ID) frames by inference and its share. */
final class DetectMetrics {
    final Counter framesOut;
    final Counter framesDetected;
    final Counter framesRejected;
    final Counter batches;
    final Histogram batchSizes;
    final Histogram inferenceMs;
    final Histogram frameAgeMs;
    // CPU by stage (StageCpu), and the detector run's wall time split as the detector reports it
    final StageCpu cpuMotion;
    final StageCpu cpuJpegDecode;
    final StageCpu cpuDetectorRun;
    final StageCpu cpuEmit;
    final Counter nanosPreprocess;
    final Counter nanosInference;
    final Counter nanosDecodeNms;
    private final MetricGroup group;
    private final Map<String, Camera> cameras = new HashMap<>();

    DetectMetrics(MetricGroup g, boolean onGpu, boolean fellBack) {
        group = g;
        framesOut = g.counter("framesOut");
        framesDetected = g.counter("framesDetected");
        framesRejected = g.counter("framesRejected");
        batches = g.counter("batches");
        batchSizes = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        inferenceMs = g.histogram("inferenceMs", new DescriptiveStatisticsHistogram(1000));
        frameAgeMs = g.histogram("frameAgeMs", new DescriptiveStatisticsHistogram(2000));
        cpuMotion = StageCpu.of(g, "Motion");
        cpuJpegDecode = StageCpu.of(g, "JpegDecode");
        cpuDetectorRun = StageCpu.of(g, "DetectorRun");
        cpuEmit = StageCpu.of(g, "DetectEmit");
        nanosPreprocess = g.counter("wallNanosPreprocess");
        nanosInference = g.counter("wallNanosInference");
        nanosDecodeNms = g.counter("wallNanosDecodeNms");
        g.meter("framesPerSecond", new MeterView(framesDetected));
        g.gauge("meanBatchSize", this::meanBatchSize);
        // the provider really used, as numbers a dashboard can alert on: a "GPU" deployment that fell back to CPU shows 1 here
        g.gauge("detectorOnGpu", () -> onGpu ? 1 : 0);
        g.gauge("detectorProviderFallback", () -> fellBack ? 1 : 0);
    }

    double meanBatchSize() {
        return batches.getCount() == 0 ? 0.0 : (double) framesDetected.getCount() / batches.getCount();
    }

    Camera camera(String camera) {
        return cameras.computeIfAbsent(camera, c -> new Camera(group.addGroup("camera", c)));
    }

    static final class Camera {
        final Counter full, interval, motionSkip, overload;
        volatile double share = 1;
        long frames, moving;

        Camera(MetricGroup g) {
            full = g.counter("framesDetected");
            interval = g.counter("framesSkippedInterval");
            motionSkip = g.counter("framesSkippedMotion");
            overload = g.counter("framesSkippedOverload");
            g.gauge("detectorShare", () -> share);
            g.gauge("effectiveInterval", () -> share <= 0 ? 0.0 : 1 / share);
            g.gauge("motionRatio", () -> frames == 0 ? 0.0 : (double) moving / frames);
        }

        void count(Inference inference) {
            switch (inference) {
                case FULL -> full.inc();
                case INTERVAL -> interval.inc();
                case MOTION -> motionSkip.inc();
                case OVERLOAD -> overload.inc();
            }
        }
    }
}
