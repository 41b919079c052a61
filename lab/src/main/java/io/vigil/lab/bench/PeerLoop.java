package io.vigil.lab.bench;

import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import io.vigil.video.image.BgrImage;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of what Vigil's own stack can do on this machine: per thread a plain loop that decodes the video with
 * JavaCV, resizes it in native code to the letterbox's size and runs Vigil's detector on every frame (the same
 * preprocessing as the job's Detect, ONNX Runtime with one intra-op thread, the
 * same decode and NMS) and drops the result. No Kafka, no Flink, no JPEG: what a hand-rolled loop would do, written
 * with Vigil's parts. Its frames/s is what {@code vigil bench pipeline} compares itself with.
 */
public final class PeerLoop {
    private PeerLoop() {}

    /** @param cpuMsPerFrame process CPU time over the measured seconds, per frame; {@code inferenceMs} the mean session run */
    public record Result(int threads, long frames, double seconds, double fps, double cpuMsPerFrame, double inferenceMs) {
        public String line() {
            return String.format(Locale.ROOT, "peer loop: %d thread(s), %d frames in %.1f s: %.1f frames/s, %.1f ms of CPU per frame (inference %.1f ms)",
                    threads, frames, seconds, fps, cpuMsPerFrame, inferenceMs);
        }
    }

    public static Result run(Path video, Path model, int threads, double seconds) throws Exception {
        ModelBundle bundle = ModelBundle.load(model);
        AtomicLong frames = new AtomicLong();
        AtomicLong inferenceNanos = new AtomicLong();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        AtomicLong t0 = new AtomicLong();
        AtomicLong cpu0 = new AtomicLong();
        AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);
        // the clock starts when every loop is warm: the barrier's action runs before any of them goes on
        CyclicBarrier start = new CyclicBarrier(threads + 1, () -> {
            cpu0.set(os.getProcessCpuTime());
            t0.set(System.nanoTime());
            deadline.set(t0.get() + (long) (seconds * 1e9));
        });
        CyclicBarrier stop = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try (Detector d = Detector.open(bundle, DetectorOptions.defaults().withThreads(1))) {
                    VideoSource v = VideoSource.open(SourceSpec.parse(video.toString()), 5_000_000);
                    try {
                        for (int i = 0; i < 20; i++) v = step(v, video, d, null, null); // warm-up: JIT, ONNX Runtime's first runs
                        start.await();
                        while (System.nanoTime() < deadline.get()) v = step(v, video, d, frames, inferenceNanos);
                    } finally {
                        v.close();
                    }
                    stop.await();
                } catch (Throwable e) {
                    errors.add(e);
                    start.reset();
                    stop.reset();
                }
            }, "peer-loop-" + t);
            th.setDaemon(true);
            workers.add(th);
        }
        workers.forEach(Thread::start);
        start.await();
        stop.await();
        long end = System.nanoTime();
        long cpu = os.getProcessCpuTime() - cpu0.get();
        for (Thread th : workers) th.join();
        if (!errors.isEmpty()) throw new IllegalStateException("peer loop failed: " + errors.get(0), errors.get(0));
        long n = frames.get();
        double secs = (end - t0.get()) / 1e9;
        return new Result(threads, n, secs, n / secs, cpu / 1e6 / Math.max(1, n), inferenceNanos.get() / 1e6 / Math.max(1, n));
    }

    /** One frame: grab, decode, detect; at the end of the video it starts again. */
    private static VideoSource step(VideoSource v, Path video, Detector d, AtomicLong frames, AtomicLong inference) {
        if (!v.next()) {
            v.close();
            v = VideoSource.open(SourceSpec.parse(video.toString()), 5_000_000);
            if (!v.next()) throw new IllegalStateException(video + " has no frames");
        }
        // resized in native code straight to the letterbox's size, as the job's Detect decodes its JPEGs
        int w = v.width(), h = v.height();
        int[] size = d.resizedSize(w, h);
        BgrImage f = v.copyBgrResized(size[0], size[1]);
        DetectionResult r = d.detectBatch(java.util.List.of(FrameInput.resized(f.pixels(), size[0], size[1], w, h))).get(0);
        if (frames != null) {
            frames.incrementAndGet();
            inference.addAndGet(r.inferenceNanos());
        }
        return v;
    }
}
