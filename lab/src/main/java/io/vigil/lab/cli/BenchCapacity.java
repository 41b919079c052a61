package io.vigil.lab.cli;

import io.vigil.lab.bench.BenchClips;
import io.vigil.lab.bench.CapacityBench;
import io.vigil.lab.bench.GateAccuracy;
import io.vigil.lab.bench.OverloadChart;
import io.vigil.models.bundle.ModelLocator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "capacity", description = {
        "What skipping the detector buys and costs. Accuracy: on each clip, every mode (full, intervalN, motion, motion+intervalN)",
        "scored against the detector on every frame (recall and precision at IoU 0.5 of objects with score >= 0.5, predicted",
        "ones included; identity switches per 100 track-frames). Capacity (--live): cameras replaying vtest.avi at 10 fps",
        "through the gateway into the job on this machine, more each round, until the p99 frame age at the job's output",
        "passes 1 s; the most cameras sustained per mode."})
final class BenchCapacity implements Callable<Integer> {
    @Option(names = "--model", description = "detector (default yolox-nano)")
    String model;

    @Option(names = "--clips", split = ",", defaultValue = "vtest,tree,quiet", description = "clips for accuracy, \"\" for none (default ${DEFAULT-VALUE})")
    List<String> clips;

    @Option(names = "--frames", defaultValue = "800", description = "frames per clip (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--modes", split = ",", defaultValue = "full,interval2,interval3,interval4,interval5,motion,motion+interval2,motion+interval3,adaptive@0.5,adaptive@0.4",
            description = "modes (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--track-motion", split = ",", defaultValue = "kalman", description = "the tracker's motion predictors scored in the accuracy table: kalman, ssm (default ${DEFAULT-VALUE})")
    List<String> trackMotion;

    @Option(names = "--track-motion-model", description = "the selective-scan motion model for --track-motion ssm (default: the shipped motion-mamba)")
    String motionModel;

    @Option(names = "--live", description = "also measure the cameras sustained per mode, live (minutes)")
    boolean live;

    @Option(names = "--live-modes", split = ",", defaultValue = "adaptive,full,interval3,motion+interval3", description = "modes measured live (default ${DEFAULT-VALUE})")
    List<String> liveModes;

    @Option(names = "--cameras", split = ",", defaultValue = "2,4,6,8,12,16,24,32", description = "camera counts tried live, in order (default ${DEFAULT-VALUE})")
    List<Integer> cameras;

    @Option(names = "--live-clip", defaultValue = "vtest", description = "what the live cameras replay: vtest, tree or quiet (default ${DEFAULT-VALUE})")
    String liveClip;

    @Option(names = "--seconds", defaultValue = "40", description = "seconds per live round (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--job", split = " ", description = "more job flags for the live rounds, e.g. --job \"--parallelism 2 --inference-threads 1\"")
    List<String> jobArgs = new ArrayList<>();

    @Option(names = "--overload-chart", description = "also run 8 cameras x 25 fps for 60 s without and with the frame-age limit and draw the p99 age per second here (PNG)")
    Path overloadChart;

    @Option(names = "--overload-soak", description = "also run --soak-cameras cameras x 25 fps of vtest.avi (several times what the detector takes) for this many seconds: p99 age, lag and fairness every 30 s (see --soak-cameras)")
    Integer overloadSoak;

    @Option(names = "--soak-cameras", defaultValue = "12", description = "cameras x 25 fps in --overload-soak (default ${DEFAULT-VALUE})")
    int soakCameras;

    @Option(names = "--motion-compare", description = "also compare the running-average motion detector with OpenCV's MOG2 on the quiet and tree clips")
    boolean motionCompare;

    @Override
    public Integer call() throws Exception {
        Path m = ModelLocator.resolve(model);
        List<GateAccuracy.Mode> ms = new ArrayList<>();
        for (String s : modes) ms.add(GateAccuracy.Mode.parse(s));
        System.out.printf(Locale.ROOT, "accuracy against the detector on every frame (%d frames per clip)%n", frames);
        System.out.printf(Locale.ROOT, "%-6s %-22s %9s %8s %10s %13s %12s%n", "clip", "mode", "detector", "recall", "precision", "ID sw/100 tf", "ref objects");
        for (String c : clips) {
            if (c.isBlank()) continue; // --clips "": no accuracy table
            List<byte[]> jpegs = BenchClips.get(c, frames);
            for (GateAccuracy.Row r : GateAccuracy.run(m, c, jpegs, ms, motions())) {
                System.out.printf(Locale.ROOT, "%-6s %-22s %8.0f%% %8.3f %10.3f %13.2f %12d%n", r.clip(), r.mode(), 100 * r.detectorShare(), r.recall(),
                        r.precision(), r.idSwitchesPer100(), r.referenceObjects());
            }
        }
        if (motionCompare) {
            for (String c : List.of("quiet", "tree")) {
                io.vigil.lab.bench.MotionCompare.print(io.vigil.lab.bench.MotionCompare.run(m, c, BenchClips.get(c, frames), "motion"));
            }
        }
        if (live) {
            List<GateAccuracy.Mode> lm = new ArrayList<>();
            for (String s : liveModes) lm.add(GateAccuracy.Mode.parse(s));
            CapacityBench.run(m, lm, cameras, seconds, liveClip, jobArgs);
        }
        if (overloadChart != null) OverloadChart.run(m, 8, 25, 60, overloadChart);
        if (overloadSoak != null) return io.vigil.lab.bench.OverloadSoak.run(m, soakCameras, 25, overloadSoak).passed() ? 0 : 1;
        return 0;
    }

    private List<io.vigil.spatiotemporal.track.SsmMotion> motions() {
        List<io.vigil.spatiotemporal.track.SsmMotion> out = new ArrayList<>();
        for (String t : trackMotion) {
            switch (t.trim()) {
                case "kalman" -> out.add(null);
                case "ssm" -> out.add(new io.vigil.spatiotemporal.track.SsmMotion(io.vigil.flink.track.MotionModels.load(motionModel)));
                default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--track-motion '" + t + "': kalman or ssm");
            }
        }
        return out;
    }
}
