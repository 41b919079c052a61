package io.vigil.video.gateway;

import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.source.EncodedImage;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import io.vigil.video.source.VideoSourceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grabs cameras and publishes their frames: one platform thread per camera, each owning its FFmpeg source.
 * Frames get a per-camera {@code vigil-seq} that never repeats (a looping file keeps counting) and a capture
 * time in epoch microseconds.
 */
public final class CameraGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraGateway.class);
    private static final long NET_TIMEOUT_MICROS = 5_000_000;

    private final FramePublisher publisher;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    public CameraGateway(FramePublisher publisher) {
        this.publisher = publisher;
    }

    /** Starts streaming a camera; an id already running is an error. */
    public void start(CameraConfig config) {
        Worker w = new Worker(config);
        if (workers.putIfAbsent(config.id(), w) != null) {
            throw new IllegalArgumentException("camera " + config.id() + " is already running");
        }
        w.thread.start();
    }

    public void stop(String cameraId) {
        Worker w = workers.remove(cameraId);
        if (w != null) w.stop();
    }

    public List<CameraStats> stats() {
        List<CameraStats> out = new ArrayList<>();
        for (Worker w : workers.values()) out.add(w.stats());
        out.sort((a, b) -> a.camera().compareTo(b.camera()));
        return out;
    }

    /** Total frames published (acknowledged by the broker) over all cameras. */
    public long publishedTotal() {
        long n = 0;
        for (Worker w : workers.values()) n += w.published.get();
        return n;
    }

    /** Waits until every camera has finished (end of a non-looping source or maxFrames reached). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker w : workers.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            if (w.thread.isAlive()) return false;
        }
        publisher.flush();
        return true;
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(workers.keySet())) stop(id);
        publisher.flush();
    }

    private final class Worker implements Runnable {
        final CameraConfig config;
        final Thread thread;
        final AtomicLong grabbed = new AtomicLong();
        final AtomicLong published = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile String state = "connecting";
        volatile String lastError;
        volatile boolean running = true;

        Worker(CameraConfig config) {
            this.config = config;
            this.thread = new Thread(this, "vigil-camera-" + config.id());
            this.thread.setDaemon(true);
        }

        CameraStats stats() {
            return new CameraStats(config.id(), state, grabbed.get(), published.get(), failed.get(), lastError);
        }

        void stop() {
            running = false;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            SourceSpec spec = config.source();
            long seq = 0;
            long sourceFrames = 0; // over all passes: drives pacing and sampling
            long startNanos = 0;
            long startMicros = 0;
            FrameSampler sampler = null;
            boolean isFile = spec.kind() == SourceSpec.Kind.FILE;
            try {
                outer:
                while (running) {
                    try (VideoSource src = VideoSource.open(spec, NET_TIMEOUT_MICROS)) {
                        if (sampler == null) {
                            sampler = new FrameSampler(src.frameRate(), config.targetFps());
                            startNanos = System.nanoTime();
                            startMicros = epochMicros();
                            LOG.info("camera {} streaming {} ({}x{} @ {} fps)", config.id(), spec.display(),
                                    src.width(), src.height(), String.format("%.2f", src.frameRate()));
                        }
                        state = "streaming";
                        while (running) {
                            if (!src.next()) break;
                            grabbed.incrementAndGet();
                            long n = sourceFrames++;
                            long tsMicros;
                            if (config.paced() && isFile) {
                                long offsetNanos = (long) (n * 1e9 / src.frameRate());
                                long wait = startNanos + offsetNanos - System.nanoTime();
                                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                                tsMicros = startMicros + offsetNanos / 1000;
                            } else {
                                tsMicros = epochMicros();
                            }
                            if (!sampler.keep(n)) continue;
                            EncodedImage img = src.encodeJpeg(config.jpegQuality(), config.maxWidth(), config.maxHeight());
                            FrameRecord frame = new FrameRecord(config.id(), seq++, tsMicros, img.width(), img.height(),
                                    FrameHeaders.CODEC_JPEG, img.bytes());
                            publisher.publish(frame, err -> {
                                if (err == null) {
                                    published.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                    lastError = err.toString();
                                    LOG.warn("camera {}: frame {} not published: {}", config.id(), frame.seq(), err.toString());
                                }
                            });
                            if (config.maxFrames() > 0 && seq >= config.maxFrames()) break outer;
                        }
                    }
                    if (!(isFile && config.loop())) break;
                }
                state = "finished";
            } catch (InterruptedException e) {
                state = "removed";
            } catch (VideoSourceException e) {
                state = "failed";
                lastError = e.getMessage();
                LOG.error("camera {}: {}", config.id(), e.getMessage());
            } catch (RuntimeException e) {
                state = "failed";
                lastError = e.toString();
                LOG.error("camera {} stopped: {}", config.id(), e.toString(), e);
            }
        }
    }

    static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
