package io.vigil.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelLocator;
import io.vigil.models.detect.Detection;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import io.vigil.video.image.ImageFiles;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "detect", description = "Run a detector on an image or the frames of a video; print detections as JSON lines.")
final class DetectCommand implements Callable<Integer> {
    private static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff", "ppm");

    @Option(names = "--model", description = "model directory or .onnx file (default: VIGIL_MODEL_DIR, then ../shared/models/yolox-nano)")
    String model;

    @Option(names = "--input", required = true, description = "image file, or video file / URL")
    String input;

    @Option(names = "--out", description = "write the (last) frame with boxes drawn to this PNG/JPEG")
    Path out;

    @Option(names = "--frame", description = "video only: just this 0-based frame")
    Long frame;

    @Option(names = "--max-frames", description = "video only: stop after N frames (default: all)")
    long maxFrames;

    @Option(names = "--threshold", description = "score threshold (default: the model's)")
    Float threshold;

    @Option(names = "--class-agnostic", description = "one box per object whatever its class")
    boolean classAgnostic;

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu or cuda[:N] (default ${DEFAULT-VALUE})")
    String provider;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads (0 = its choice)")
    int threads;

    @picocli.CommandLine.Mixin
    PluginsOption plugins;

    @Option(names = "--json", description = "one JSON object per frame instead of a table")
    boolean jsonOut;

    private final ObjectMapper json = new ObjectMapper();
    private long pre;
    private long inf;
    private long post;
    private long frames;

    @Override
    public Integer call() throws Exception {
        ModelBundle bundle = ModelBundle.load(ModelLocator.resolve(model));
        DetectorOptions opts = DetectorOptions.defaults().withProvider(ExecutionProvider.parse(provider)).withThreads(threads)
                .withScoreThreshold(threshold).withClassAgnostic(classAgnostic ? Boolean.TRUE : null);
        try (Detector det = Detector.open(bundle, opts)) {
            BgrImage last = null;
            List<Detection> lastDets = List.of();
            if (isImage(input)) {
                last = ImageFiles.read(Path.of(input));
                lastDets = run(det, last, bundle, 0);
            } else {
                try (VideoSource src = VideoSource.open(SourceSpec.parse(input), 5_000_000)) {
                    while (src.next()) {
                        long i = src.index();
                        if (frame != null && i < frame) continue;
                        last = src.copyBgr();
                        lastDets = run(det, last, bundle, i);
                        if (frame != null || (maxFrames > 0 && frames >= maxFrames)) break;
                    }
                }
                if (frame != null && frames == 0) throw new IllegalArgumentException("--frame " + frame + " is past the end of " + input);
            }
            if (out != null && last != null) {
                List<ImageFiles.Overlay> overlays = new ArrayList<>();
                for (Detection d : lastDets) {
                    overlays.add(new ImageFiles.Overlay(d.x1(), d.y1(), d.x2(), d.y2(), String.format(Locale.ROOT, "%s %.2f", d.label(), d.score())));
                }
                Path parent = out.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
                ImageFiles.write(ImageFiles.annotate(last, overlays), out);
                System.err.println("wrote " + out);
            }
            if (frames > 0) {
                System.err.printf(Locale.ROOT, "%d frame(s) on %s: preprocess %.1f ms, inference %.1f ms, decode+NMS %.2f ms per frame%n",
                        frames, det.provider(), pre / 1e6 / frames, inf / 1e6 / frames, post / 1e6 / frames);
            }
        }
        return 0;
    }

    private List<Detection> run(Detector det, BgrImage img, ModelBundle bundle, long index) throws Exception {
        DetectionResult r = det.detect(img.pixels(), img.width(), img.height());
        pre += r.preprocessNanos();
        inf += r.inferenceNanos();
        post += r.decodeNanos();
        frames++;
        if (!jsonOut) {
            System.out.printf(Locale.ROOT, "frame %d (%dx%d), %s: %d object(s)%n", index, img.width(), img.height(), bundle.modelId(),
                    r.detections().size());
            for (Detection d : r.detections()) {
                System.out.printf(Locale.ROOT, "  %-14s %.3f  [%6.1f %6.1f %6.1f %6.1f]%n", d.label(), d.score(), d.x1(), d.y1(), d.x2(), d.y2());
            }
            return r.detections();
        }
        ObjectNode o = json.createObjectNode();
        o.put("input", input);
        o.put("frame", index);
        o.put("width", img.width());
        o.put("height", img.height());
        o.put("model", bundle.modelId());
        ArrayNode objs = o.putArray("objects");
        for (Detection d : r.detections()) {
            ObjectNode n = objs.addObject();
            n.put("label", d.label());
            n.put("classId", d.classId());
            n.put("score", Math.round(d.score() * 1e4) / 1e4);
            ArrayNode box = n.putArray("box");
            for (float v : new float[] {d.x1(), d.y1(), d.x2(), d.y2()}) box.add(Math.round(v * 10) / 10.0);
        }
        System.out.println(json.writeValueAsString(o));
        return r.detections();
    }

    private static boolean isImage(String input) {
        int dot = input.lastIndexOf('.');
        return dot > 0 && !input.contains("://") && IMAGE_EXT.contains(input.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
