package io.vigil.deploy.cli;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Benchmarks (separate commands, never part of the test suite).",
        subcommands = {BenchCommand.Scan.class, BenchCommand.Streaming.class, BenchCommand.Pipeline.class, BenchCommand.Detect.class,
                BenchCommand.Ingest.class, BenchTrajectory.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Prints CSV rows as an aligned table and writes them to {@code csv} when given. */
    static void report(List<String> rows, Path csv) throws IOException {
        List<String[]> cells = rows.stream().map(r -> r.split(",")).toList();
        int[] w = new int[cells.get(0).length];
        for (String[] c : cells) for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        for (String[] c : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.length; i++) sb.append(String.format("%" + (i == 0 ? "-" : "") + w[i] + "s  ", c[i]));
            System.out.println(sb.toString().stripTrailing());
        }
        if (csv != null) {
            Files.write(csv, rows);
            System.out.println("wrote " + csv);
        }
    }

    @Command(name = "scan", description = "Selective-scan kernels (scalar vs vector) in state updates per second, one thread, several shapes.")
    static final class Scan implements Callable<Integer> {
        @Option(names = "--csv", description = "also write the table as CSV here")
        Path csv;

        @Override
        public Integer call() throws IOException {
            System.out.println("selective scan, d_state 16, one thread, median of 7 runs (" + Runtime.getRuntime().availableProcessors() + " cores here)");
            report(io.vigil.spatiotemporal.bench.ScanBench.run(new int[] {64, 192, 384, 768, 1536}, new int[] {1, 16, 196}, 16), csv);
            return 0;
        }
    }

    @Command(name = "streaming", description = {"Per-frame cost of the streaming SSM step after 1..10,000 frames, against re-running",
            "the same model over a clip of W frames and against softmax attention over the last W frames."})
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
            report(io.vigil.spatiotemporal.bench.StreamingBench.run(hist, clip, att, null), csv);
            return 0;
        }
    }

    @Command(name = "pipeline", description = {"The embedded stack end to end with N cameras, as fast as possible and at 25 fps:",
            "frames/s, capture-to-event latency, mean batch, CPU by stage, next to the detector alone in the same run."})
    static final class Pipeline implements Callable<Integer> {
        @Option(names = "--cameras", split = ",", defaultValue = "1,2,4,8", description = "(default ${DEFAULT-VALUE})")
        int[] cameras;

        @Option(names = "--modes", split = ",", defaultValue = "fast,25fps", description = "fast and/or 25fps (default ${DEFAULT-VALUE})")
        List<String> modes;

        @Option(names = "--seconds", defaultValue = "20", description = "measured seconds per row (default ${DEFAULT-VALUE})")
        int seconds;

        @Option(names = "--warmup", defaultValue = "10", description = "seconds before measuring (default ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--model", description = "detector (default yolox-nano)")
        String model;

        @Option(names = "--csv", description = "also write the table as CSV here")
        Path csv;

        @Override
        public Integer call() throws Exception {
            for (String m : modes) if (!m.equals("fast") && !m.equals("25fps")) throw new IllegalArgumentException("--modes takes fast and 25fps, got " + m);
            var opts = new io.vigil.deploy.bench.PipelineBench.Options(SampleMedia.require(SampleMedia.VTEST), ModelLocator.resolve(model),
                    cameras, modes, seconds, warmup);
            System.out.println("pipeline: embedded broker + gateway + job (parallelism 1, at-least-once, batch 8/20 ms) on "
                    + Runtime.getRuntime().availableProcessors() + " cores; CPU in % of one core");
            report(io.vigil.deploy.bench.PipelineBench.run(opts), csv);
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
            String src = input != null ? input : SampleMedia.require(SampleMedia.VTEST).toString();
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            // warm-up pass
            runPass(src, 80);
            long frames = 0;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int r = 0; r < repeat; r++) frames += runPass(src, 80);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "vigil grab+encode (q80, 1 thread): %d frames, %.1f frames/s wall, %.1f frames per CPU-second%n",
                    frames, frames / wall, frames / cpu);
            String ffmpeg = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            for (String t : new String[] {"1", "0"}) {
                long f0 = System.nanoTime();
                for (int r = 0; r < repeat; r++) {
                    Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-threads", t, "-i", src, "-threads", t,
                            "-f", "mjpeg", "-q:v", "5", "-y", "/dev/null").redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    if (p.waitFor() != 0) throw new IllegalStateException("ffmpeg failed");
                }
                double fw = (System.nanoTime() - f0) / 1e9;
                System.out.printf(Locale.ROOT, "ffmpeg -f mjpeg -q:v 5 (-threads %s%s): %.1f frames/s wall%n", t, t.equals("0") ? " = auto" : "",
                        frames / fw);
            }
            return 0;
        }

        private static long runPass(String src, int quality) {
            long n = 0;
            try (VideoSource v = VideoSource.open(SourceSpec.parse(src), 5_000_000)) {
                while (v.next()) {
                    v.encodeJpeg(quality, 0, 0);
                    n++;
                }
            }
            return n;
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
            List<FrameInput> inputs = new ArrayList<>();
            try (VideoSource v = VideoSource.open(SourceSpec.parse(src), 5_000_000)) {
                while (inputs.size() < frames && v.next()) {
                    BgrImage b = v.copyBgr();
                    inputs.add(new FrameInput(b.pixels(), b.width(), b.height()));
                }
            }
            ModelBundle bundle = ModelBundle.load(ModelLocator.resolve(model));
            List<String> rows = new ArrayList<>();
            rows.add("model,provider,batch,frames,frames_per_s,preprocess_ms,inference_ms,decode_nms_ms,pre_post_share_of_inference");
            System.out.printf(Locale.ROOT, "%s on %d frames of %s (%dx%d), %d threads%n", bundle.modelId(), inputs.size(), src,
                    inputs.get(0).width(), inputs.get(0).height(), threads);
            System.out.printf("%6s %10s %14s %13s %15s %16s%n", "batch", "frames/s", "preprocess ms", "inference ms", "decode+NMS ms", "(pre+post)/inf");
            for (int batch : batches) {
                DetectorOptions o = DetectorOptions.defaults().withProvider(ExecutionProvider.parse(provider)).withThreads(threads).withMaxBatch(batch);
                try (Detector d = Detector.open(bundle, o)) {
                    for (int w = 0; w < 3; w++) d.detectBatch(inputs.subList(0, Math.min(30, inputs.size()))); // warm-up: JIT, ONNX Runtime
                    long pre = 0, inf = 0, post = 0;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < inputs.size(); i += batch) {
                        for (DetectionResult r : d.detectBatch(inputs.subList(i, Math.min(inputs.size(), i + batch)))) {
                            pre += r.preprocessNanos();
                            inf += r.inferenceNanos();
                            post += r.decodeNanos();
                        }
                    }
                    double secs = (System.nanoTime() - t0) / 1e9;
                    int n = inputs.size();
                    double fps = n / secs;
                    double share = 100.0 * (pre + post) / inf;
                    System.out.printf(Locale.ROOT, "%6d %10.1f %14.2f %13.2f %15.2f %15.1f%%%s%n", batch, fps, pre / 1e6 / n, inf / 1e6 / n,
                            post / 1e6 / n, share, d.dynamicBatch() ? "" : "   (fixed batch 1: run frame by frame)");
                    rows.add(String.format(Locale.ROOT, "%s,%s,%d,%d,%.2f,%.3f,%.3f,%.3f,%.2f", bundle.modelId(), d.provider(), batch, n, fps,
                            pre / 1e6 / n, inf / 1e6 / n, post / 1e6 / n, share));
                }
            }
            if (csv != null) {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
                    rows.forEach(w::println);
                }
                System.out.println("wrote " + csv);
            }
            return 0;
        }
    }
}
