package io.vigil.lab.cli;

import io.vigil.lab.bench.DetectBench;
import io.vigil.lab.bench.IngestBench;
import io.vigil.lab.bench.PipelineBench;
import io.vigil.lab.bench.ScanBench;
import io.vigil.lab.bench.StreamingBench;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.source.SampleMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Benchmarks (separate commands, never part of the test suite).",
        subcommands = {BenchCommand.Group.class, BenchCommand.Analytics.class, BenchCommand.Scan.class, BenchCommand.Streaming.class, BenchCommand.Pipeline.class, BenchCommand.Detect.class,
                BenchCommand.Ingest.class, BenchTrajectory.class, BenchCapacity.class, BenchMotion.class, BenchCommand.Peer.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints CSV rows as aligned tables (a blank row starts the next table) and writes them to {@code csv} when given. */
    static void report(List<String> rows, Path csv) throws IOException {
        int from = 0;
        for (int i = 0; i <= rows.size(); i++) {
            if (i == rows.size() || rows.get(i).isEmpty()) {
                if (i > from) table(rows.subList(from, i));
                if (i < rows.size()) System.out.println();
                from = i + 1;
            }
        }
        if (csv != null) {
            Files.write(csv, rows);
            System.out.println("wrote " + csv);
        }
    }

    private static void table(List<String> rows) {
        List<String[]> cells = rows.stream().map(r -> r.split(",")).toList();
        int[] w = new int[cells.get(0).length];
        for (String[] c : cells) for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        for (String[] c : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.length; i++) sb.append(String.format("%" + (i == 0 ? "-" : "") + w[i] + "s  ", c[i]));
            System.out.println(sb.toString().stripTrailing());
        }
    }

    @Command(name = "analytics", description = {"The analytics stage's per-camera work per frame: 10 tracked people against 0-40",
            "rules (half lines, half zones, with a calibration), one thread, against a 25 fps frame budget."})
    static final class Analytics implements Callable<Integer> {
        @Option(names = "--objects", defaultValue = "10", description = "tracked objects per frame (default ${DEFAULT-VALUE})")
        int objects;

        @Override
        public Integer call() throws Exception {
            report(io.vigil.lab.bench.AnalyticsBench.run(new int[] {0, 1, 10, 40}, objects, 3000), null);
            return 0;
        }
    }

    @Command(name = "scan", description = {"Selective-scan kernels in state updates per second, one thread, d_inner 64..1536 x 1, 16, 196 tokens:",
            "the reference (double Math.exp), the scalar kernel with the vector kernel's polynomial exp, and the vector kernel."})
    static final class Scan implements Callable<Integer> {
        @Option(names = "--csv", description = "also write the table as CSV here")
        Path csv;

        @Override
        public Integer call() throws IOException {
            System.out.println("selective scan, d_state 16, one thread, median of 7 interleaved rounds; G state-updates/s (" + Runtime.getRuntime().availableProcessors() + " cores here)");
            report(ScanBench.run(new int[] {64, 192, 384, 768, 1536}, new int[] {1, 16, 196}, 16), csv);
            return 0;
        }
    }

    @Command(name = "streaming", description = {"Per-frame cost of the streaming SSM step after 1..10,000 frames, against re-running",
            "the same model over a clip of W frames (stride 1 and stride W) and against joint (plain, tiled) and divided",
            "space-time attention over the last W frames."})
    static final class Streaming implements Callable<Integer> {
        @Option(names = "--csv", description = "also write the table as CSV here")
        Path csv;

        @Option(names = "--quick", description = "histories up to 1,000 and windows up to 128 (a few seconds instead of minutes)")
        boolean quick;

        @Override
        public Integer call() throws IOException {
            int[] hist = quick ? new int[] {1, 10, 100, 1000} : new int[] {1, 10, 100, 1000, 10_000};
            int[] clip = quick ? new int[] {8, 32} : new int[] {8, 32, 128};
            int[] att = quick ? new int[] {8, 32, 128} : new int[] {8, 32, 128, 1000};
            System.out.println("model: d_model 96, d_state 16, expand 2, 2 layers, 14x14 grid = 196 tokens, vector kernel; ms per frame, median");
            report(StreamingBench.run(hist, clip, att, null), csv);
            return 0;
        }
    }

    @Command(name = "pipeline", description = {"The embedded stack end to end with N cameras, as fast as possible and at 25 fps:",
            "with exactly-once and at-least-once sinks: frames/s, latency to the event leaving the job and to it becoming",
            "visible (read_committed), mean batch, CPU by stage, next to the detector alone measured between the rows; repeated."})
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--cameras", split = ",", defaultValue = "1,4", description = "(default ${DEFAULT-VALUE})")
        int[] cameras;

        @Option(names = "--delivery", split = ",", defaultValue = "exactly-once,at-least-once",
                description = "the sinks' delivery guarantee(s) (default ${DEFAULT-VALUE}; the job's default is exactly-once)")
        List<String> deliveries;

        @Option(names = "--rules", split = ",", defaultValue = "0", description = "analytics rules per camera, one row each (default ${DEFAULT-VALUE}; "
                + "half lines, half zones, plus a calibration)")
        int[] rules;

        @Option(names = "--runs", defaultValue = "3", description = "repeat the whole sequence; the summary gives median and range (default ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--checkpoint-interval", defaultValue = "5s", description = "as the job's default (default ${DEFAULT-VALUE}); "
                + "with exactly-once, events become visible at checkpoints")
        String checkpointInterval;

        @Option(names = "--modes", split = ",", defaultValue = "fast,25fps", description = "fast and/or 25fps (default ${DEFAULT-VALUE})")
        List<String> modes;

        @Option(names = "--seconds", defaultValue = "20", description = "measured seconds per row (default ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--warmup", defaultValue = "60", description = "seconds before measuring (default ${DEFAULT-VALUE}: the JIT compiles Kafka, Flink and the broker in one JVM for about a minute on two busy cores)")
        int warmup;

        @Option(names = "--job-arg", description = "a setting for the job, repeatable, after the benchmark's own (e.g. --job-arg=--inference-concurrency --job-arg=1)")
        List<String> jobArgs;

        @Option(names = "--model", description = "detector (default yolox-nano)")
        String model;

        @Option(names = "--csv", description = "also write the table as CSV here")
        Path csv;

        @Override
        public Integer call() throws Exception {
            for (String m : modes) if (!m.equals("fast") && !m.equals("25fps")) throw new IllegalArgumentException("--modes takes fast and 25fps, got " + m);
            for (String d : deliveries) {
                if (!d.equals("exactly-once") && !d.equals("at-least-once")) {
                    throw new IllegalArgumentException("--delivery takes exactly-once and at-least-once, got " + d);
                }
            }
            if (runs < 1) throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
            var opts = new PipelineBench.Options(SampleMedia.require(SampleMedia.VTEST), ModelLocator.resolve(model),
                    cameras, modes, deliveries, seconds, warmup, runs, checkpointInterval, rules, jobArgs == null ? List.of() : jobArgs);
            System.out.println("pipeline: embedded broker + gateway + job (parallelism 1, batch 8/20 ms, checkpoints every " + checkpointInterval
                    + ") on " + Runtime.getRuntime().availableProcessors() + " cores; CPU in % of one core; latency = receive - capture, "
                    + "leave = read_uncommitted, visible = read_committed");
            report(PipelineBench.run(opts), csv);
            return 0;
        }
    }

    @Command(name = "peer", description = {"The floor of Vigil's own stack here: per thread a plain loop of JavaCV decode, Vigil's",
            "detector (the same preprocessing, ONNX Runtime on one thread, decode + NMS) on every frame; no Kafka, no Flink."})
    static final class Peer implements Callable<Integer> {
        @Option(names = "--model", description = "detector (default yolox-nano)")
        String model;

        @Option(names = "--input", description = "video (default vtest.avi)")
        Path input;

        @Option(names = "--threads", defaultValue = "0", description = "loops side by side (default 0: one per core)")
        int threads;

        @Option(names = "--seconds", defaultValue = "20", description = "measured seconds (default ${DEFAULT-VALUE})")
        double seconds;

        @Override
        public Integer call() throws Exception {
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            Path video = input != null ? input : SampleMedia.require(SampleMedia.VTEST);
            System.out.println(io.vigil.lab.bench.PeerLoop.run(video, ModelLocator.resolve(model), n, seconds).line());
            return 0;
        }
    }

    @Command(name = "ingest", description = {"The gateway's per-frame work on one thread: FFmpeg grab + decode, resize, JPEG",
            "encode, at the video's native size; next to the ffmpeg program doing the same (mjpeg -q:v 5) in the same run."})
    static final class Ingest implements Callable<Integer> {
        @Option(names = "--input", description = "video (default vtest.avi)")
        String input;

        @Option(names = "--repeat", defaultValue = "3", description = "passes over the video (default ${DEFAULT-VALUE})")
        int repeat;

        @Override
        public Integer call() throws Exception {
            IngestBench.run(input != null ? input : SampleMedia.require(SampleMedia.VTEST).toString(), repeat).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "group", description = {"Gateways as deployed (each vigil gateway its own JVM) on an embedded broker: one",
            "gateway's CPU for N cameras at each publish rate (cameras per core), then G gateways sharing cameras and",
            "SIGKILLed one at a time: each camera's time from the kill to its first frame from the new owner."})
    static final class Group implements Callable<Integer> {
        @Option(names = "--input", description = "video each capacity camera loops (default vtest.avi)")
        Path input;

        @Option(names = "--cameras", split = ",", defaultValue = "200,100,50", description = "cameras on the one gateway of the capacity runs, per --fps entry (default ${DEFAULT-VALUE})")
        List<Integer> cameras;

        @Option(names = "--fps", split = ",", defaultValue = "1,5,10", description = "publish rates of the capacity runs (default ${DEFAULT-VALUE})")
        List<Double> fps;

        @Option(names = "--seconds", defaultValue = "30", description = "measured window of each capacity run; 0 = no capacity runs (default ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--gateways", defaultValue = "3", description = "gateway JVMs of the failover runs (default ${DEFAULT-VALUE})")
        int gateways;

        @Option(names = "--failover-cameras", defaultValue = "30", description = "cameras (testsrc at 5 fps) of the failover runs (default ${DEFAULT-VALUE})")
        int failoverCameras;

        @Option(names = "--kills", defaultValue = "10", description = "gateways SIGKILLed one after another; 0 = no failover runs (default ${DEFAULT-VALUE})")
        int kills;

        @Override
        public Integer call() throws Exception {
            Path video = input != null ? input : SampleMedia.require(SampleMedia.VTEST);
            Path logs = Files.createDirectories(Path.of("lab", "target", "bench-group"));
            io.vigil.lab.bench.GatewayGroupBench.run(new io.vigil.lab.bench.GatewayGroupBench.Options(video.toAbsolutePath(), cameras, fps, seconds,
                    gateways, failoverCameras, kills, logs.toAbsolutePath())).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "detect", description = {"A detector on real frames: frames/s at each batch size, and the share of",
            "our pre- and post-processing next to the ONNX Runtime run."})
    static final class Detect implements Callable<Integer> {
        @Option(names = "--model", description = "model directory, .onnx file or catalogue name (default yolox-nano)")
        String model;

        @Option(names = "--input", description = "video to take frames from (default vtest.avi)")
        String input;

        @Option(names = "--frames", defaultValue = "200", description = "frames per measurement (default ${DEFAULT-VALUE})")
        int frames;

        @Option(names = "--batch", split = ",", defaultValue = "1,8", description = "batch sizes (default ${DEFAULT-VALUE})")
        List<Integer> batches;

        @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = its choice)")
        int threads;

        @Option(names = "--provider", defaultValue = "cpu", description = "cpu or cuda[:N]")
        String provider;

        @Option(names = "--csv", description = "also write the table as CSV here")
        Path csv;

        @Override
        public Integer call() throws IOException {
            String src = input != null ? input : SampleMedia.require(SampleMedia.VTEST).toString();
            DetectBench.run(ModelLocator.resolve(model), src, frames, batches, threads, ExecutionProvider.parse(provider), csv);
            return 0;
        }
    }
}
