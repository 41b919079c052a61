package io.vigil.lab.bench;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code vigil bench detect}: a detector on real frames, frames/s at each batch size, and the share of Vigil's pre- and
 * post-processing next to the ONNX Runtime run.
 */
public final class DetectBench {
    private DetectBench() {}

    /** Prints the table and writes it to {@code csv} when given. */
    public static void run(Path modelPath, String src, int frames, List<Integer> batches, int threads, ExecutionProvider provider, Path csv)
        throws IOException {
        List<FrameInput> inputs = new ArrayList<>();
        try (VideoSource v = VideoSource.open(SourceSpec.parse(src), 5_000_000)) {
            while (inputs.size() < frames && v.next()) {
                BgrImage b = v.copyBgr();
                inputs.add(new FrameInput(b.pixels(), b.width(), b.height()));
            }
        }
        ModelBundle bundle = ModelBundle.load(modelPath);
        List<String> rows = new ArrayList<>();
        rows.add("model,provider,batch,frames,frames_per_s,preprocess_ms,inference_ms,decode_nms_ms,pre_post_share_of_inference");
        System.out.printf(Locale.ROOT, "%s on %d frames of %s (%dx%d), %d threads%n", bundle.modelId(), inputs.size(), src,
                inputs.get(0).width(), inputs.get(0).height(), threads);
        System.out.printf("%6s %10s %14s %13s %15s %16s%n", "batch", "frames/s", "preprocess ms", "inference ms", "decode+NMS ms", "(pre+post)/inf");
        for (int batch : batches) {
            DetectorOptions o = DetectorOptions.defaults().withProvider(provider).withThreads(threads).withMaxBatch(batch);
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
    }
}
