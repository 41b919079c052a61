package io.vigil.video.gateway;

import io.vigil.video.kafka.FrameHeaders;
import io.vigil.video.kafka.FrameRecord;
import io.vigil.video.source.EncodedImage;
import io.vigil.video.source.Redaction;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import io.vigil.video.source.VideoSourceException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grabs cameras and publishes their frames. Per camera: a grab thread that owns the FFmpeg source (connect,
 * read, reconnect with capped exponential backoff and jitter), and a sender thread that hands frames to Kafka
 * with at most {@code maxInFlight} unacknowledged; between them a keep-latest queue, so a slow broker costs
 * dropped (counted) frames, never unbounded memory or growing latency. State changes and heartbeats go to the
 * {@link StatusSink}. {@code vigil-seq} never repeats for a camera: a looping file, a reconnect or (with a seq
 * directory) a gateway restart keeps counting.
 */
public final class CameraGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraGateway.class);

    private final FramePublisher publisher;
    private final StatusSink status;
    private final GatewayOptions options;
    private final SeqSource seqs;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** Cameras whose spec was refused (nothing opened): id -> why, until a new spec or an unsubscribe. */
    private final Map<String, String> rejected = new ConcurrentHashMap<>();
    private final AtomicLong watchdogErrors = new AtomicLong();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-gateway-watchdog");
        t.setDaemon(true);
        return t;
    });

    public CameraGateway(FramePublisher publisher) {
        this(publisher, StatusSink.NONE, GatewayOptions.defaults());
    }

    public CameraGateway(FramePublisher publisher, StatusSink status, GatewayOptions options) {
        this(publisher, status, options, new SeqStore(options.seqDir()));
    }

    /** With the seqs kept elsewhere than the options' directory (a gateway group keeps them in Kafka). */
    public CameraGateway(FramePublisher publisher, StatusSink status, GatewayOptions options, SeqSource seqs) {
        this.publisher = publisher;
        this.status = status;
        this.options = options;
        this.seqs = seqs;
        long tick = 1000;
        watchdog.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Starts streaming a camera; an id already running is an error. */
    public void start(CameraConfig config) {
        Worker w = new Worker(config);
        if (workers.putIfAbsent(config.id(), w) != null) {
            throw new IllegalArgumentException("camera " + config.id() + " is already running");
        }
        w.start();
    }

    /**
     * Adds the camera, or restarts it with the new spec if it runs with another; a disabled spec stops it. A spec whose
     * source the {@link GatewayOptions#sourcePolicy} refuses stops the camera and is reported failed, naming the rule;
     * nothing is opened.
     */
    public synchronized void apply(CameraSpec spec) {
        rejected.remove(spec.id());
        Worker old = workers.get(spec.id());
        String refused = options.sourcePolicy().refusal(spec.url());
        if (refused != null) {
            if (old != null) {
                workers.remove(spec.id());
                old.stop(null, null);
            }
            reject(spec.id(), "camera " + spec.id() + ": " + refused);
            return;
        }
        CameraConfig cfg = spec.toConfig();
        if (!spec.isEnabled()) {
            if (old != null) {
                workers.remove(spec.id());
                old.stop(CameraState.REMOVED, "disabled");
            }
            return;
        }
        if (old != null) {
            if (old.spec != null && old.spec.equals(spec)) return;
            workers.remove(spec.id());
            old.stop(null, null);
            LOG.info("camera {}: spec changed, restarting with {}", spec.id(), spec);
        }
        Worker w = new Worker(cfg);
        w.spec = spec;
        workers.put(spec.id(), w);
        w.start();
    }

    /** Stops a camera and reports it removed. */
    public synchronized void remove(String cameraId) {
        rejected.remove(cameraId);
        Worker w = workers.remove(cameraId);
        if (w != null) w.stop(CameraState.REMOVED, "unsubscribed");
    }

    public void stop(String cameraId) {
        Worker w = workers.remove(cameraId);
        if (w != null) w.stop(null, null);
    }

    /** Stops these cameras together: all are told first, then each is waited for (a handover of many cameras). */
    public void stop(Collection<String> cameraIds) {
        List<Worker> stopping = new ArrayList<>();
        for (String id : cameraIds) {
            Worker w = workers.remove(id);
            if (w != null) stopping.add(w);
        }
        for (Worker w : stopping) w.halt();
        for (Worker w : stopping) w.stop(null, null);
    }

    /** Reports a spec that could not be used (it never starts). */
    public void reject(String cameraId, String reason) {
        String shown = Redaction.redact(reason);
        rejected.put(cameraId, shown);
        LOG.warn("camera {} rejected: {}", cameraId, shown);
        status.publish(new CameraStatus(cameraId, System.currentTimeMillis(), CameraState.FAILED, shown, 0, 0, 0, 0));
    }

    public List<CameraStats> stats() {
        List<CameraStats> out = new ArrayList<>();
        for (Worker w : workers.values()) out.add(w.stats());
        for (Map.Entry<String, String> r : rejected.entrySet()) {
            if (!workers.containsKey(r.getKey())) out.add(new CameraStats(r.getKey(), CameraState.FAILED.wire(), 0, 0, 0, 0, 0, r.getValue(), 0, 0, 0, 0, 0));
        }
        out.sort((a, b) -> a.camera().compareTo(b.camera()));
        return out;
    }

    public Optional<CameraStats> stats(String camera) {
        Worker w = workers.get(camera);
        return w == null ? Optional.empty() : Optional.of(w.stats());
    }

    /** Total frames published (acknowledged by the broker) over all cameras now running. */
    public long publishedTotal() {
        long n = 0;
        for (Worker w : workers.values()) n += w.published.get();
        return n;
    }

    /** Waits until every camera has finished (end of a non-looping file or maxFrames reached) and sent its frames. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Worker w : workers.values()) {
            for (Thread t : new Thread[] {w.grabThread, w.sendThread}) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                if (t.isAlive()) return false;
            }
        }
        publisher.flush();
        return true;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        for (String id : new ArrayList<>(workers.keySet())) stop(id);
        publisher.flush();
    }

    /** Each camera's check on its own: one that throws (its status sink, its stats) must not skip the others' checks. */
    private void tick() {
        long now = System.nanoTime();
        for (Worker w : workers.values()) {
            try {
                w.tick(now);
            } catch (RuntimeException | LinkageError e) {
                watchdogErrors.incrementAndGet();
                LOG.warn("gateway watchdog: camera {}: {}", w.config.id(), e.toString());
            }
        }
    }

    /** Watchdog checks of a camera that threw (each logged; the other cameras' checks ran). */
    public long watchdogErrors() {
        return watchdogErrors.get();
    }

    private final class Worker {
        final CameraConfig config;
        volatile CameraSpec spec;
        final Thread grabThread;
        final Thread sendThread;
        final LatestQueue<FrameRecord> pending;
        final Semaphore inFlight;
        final AtomicLong grabbed = new AtomicLong();
        final AtomicLong published = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong reconnects = new AtomicLong();
        final AtomicLong damaged = new AtomicLong(); // passes over a file that ended before its declared length
        final AtomicLong tooLargeFrames = new AtomicLong();
        final AtomicLong lastTooLargeReport = new AtomicLong(); // System.nanoTime() of the last "frame too large" status, 0 = none
        final AtomicLong decodeNanos = new AtomicLong();
        final AtomicLong encodeNanos = new AtomicLong();
        final AtomicLong asCaptured = new AtomicLong();
        final AtomicLong notWholeJpegs = new AtomicLong();
        final long[] ages = new long[256]; // recent frame ages at acknowledgement, ms (ring)
        int ageCount;
        volatile CameraState state = CameraState.CONNECTING;
        volatile String lastError;
        /** Why the camera is in its state (redacted); heartbeats repeat it while the camera is not streaming. */
        volatile String stateReason;
        volatile boolean running = true;
        volatile boolean grabDone;
        volatile long lastFrameNanos = System.nanoTime();
        long lastBeatNanos = System.nanoTime();
        long lastBeatPublished;
        volatile double fps;

        Worker(CameraConfig config) {
            this.config = config;
            this.pending = new LatestQueue<>(options.pending());
            this.inFlight = new Semaphore(options.maxInFlight());
            this.grabThread = new Thread(this::grabLoop, "vigil-camera-" + config.id());
            this.sendThread = new Thread(this::sendLoop, "vigil-send-" + config.id());
            grabThread.setDaemon(true);
            sendThread.setDaemon(true);
        }

        void start() {
            grabThread.start();
            sendThread.start();
        }

        CameraStats stats() {
            long g = Math.max(1, grabbed.get());
            return new CameraStats(config.id(), state.wire(), grabbed.get(), published.get(), pending.dropped(), failed.get(),
                    reconnects.get(), lastError, fps, p95Age(), decodeNanos.get() / 1e6 / g, encodeNanos.get() / 1e6 / g, asCaptured.get());
        }

        synchronized void recordAge(long ms) {
            ages[ageCount++ % ages.length] = ms;
        }

        synchronized long p95Age() {
            int n = Math.min(ageCount, ages.length);
            if (n == 0) return 0;
            long[] a = Arrays.copyOf(ages, n);
            Arrays.sort(a);
            return a[(int) Math.floor(0.95 * (n - 1))];
        }

        void setState(CameraState s, String reason) {
            String r = reason == null ? null : Redaction.redact(reason);
            stateReason = r;
            if (s != state) {
                state = s;
                if (s == CameraState.STREAMING) LOG.info("camera {}: streaming {}", config.id(), config.source().display());
                else LOG.info("camera {}: {}{}", config.id(), s.wire(), r == null ? "" : " (" + r + ")");
                status.publish(new CameraStatus(config.id(), System.currentTimeMillis(), s, r, fps, pending.dropped(), published.get(), reconnects.get()));
            }
        }

        void tick(long now) {
            if (state == CameraState.STREAMING && now - lastFrameNanos > options.stallTimeout().toNanos()) {
                setState(CameraState.STALLED, "no frame for " + (now - lastFrameNanos) / 1_000_000 + " ms");
            }
            long dt = now - lastBeatNanos;
            if (dt >= options.heartbeat().toNanos()) {
                long p = published.get();
                fps = (p - lastBeatPublished) / (dt / 1e9);
                lastBeatPublished = p;
                lastBeatNanos = now;
                if (running) {
                    // a camera that is not streaming keeps saying why in every heartbeat, not only in the first event
                    String why = state == CameraState.STREAMING ? null : stateReason;
                    status.publish(new CameraStatus(config.id(), System.currentTimeMillis(), state, why, fps, pending.dropped(), p, reconnects.get()));
                }
            }
        }

        /**
         * A frame the frames topic cannot take: counted as failed; the camera's status and the log say "frame too large"
         * at most once a minute, with how many so far, not once per frame.
         */
        /** An MJPEG camera sent pictures that no decoder could read on its own: not published, counted as failed, said. */
        void notWholeJpegs(long n) {
            long total = notWholeJpegs.addAndGet(n);
            failed.addAndGet(n);
            lastError = total + " frame(s) from the camera were not whole JPEGs (cut short, or without Huffman tables): not published";
            if (total == n || total / 100 != (total - n) / 100) LOG.warn("camera {}: {}", config.id(), lastError);
        }

        void tooLarge(int bytes, int limit) {
            long n = failed.incrementAndGet();
            long count = tooLargeFrames.incrementAndGet();
            long now = System.nanoTime();
            long last = lastTooLargeReport.get();
            if (last != 0 && now - last < TimeUnit.MINUTES.toNanos(1)) return;
            if (!lastTooLargeReport.compareAndSet(last, now == 0 ? 1 : now)) return;
            String why = "frame too large: " + bytes + " bytes" + (limit > 0 ? " over the limit of " + limit : " refused by the frames topic")
                    + " (" + count + " so far, " + n + " failed in all): lower maxWidth/maxHeight or jpegQuality"
                    + (limit > 0 ? "" : ", or raise the topic's max.message.bytes");
            lastError = why;
            LOG.warn("camera {}: {}", config.id(), why);
            status.publish(new CameraStatus(config.id(), System.currentTimeMillis(), state, why, fps, pending.dropped(), published.get(), reconnects.get()));
        }

        void halt() {
            running = false;
            grabThread.interrupt();
            sendThread.interrupt(); // frames not yet sent are dropped: the camera is going away
        }

        void stop(CameraState finalState, String reason) {
            halt();
            try {
                grabThread.join(10_000);
                sendThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (finalState != null) setState(finalState, reason);
        }

        private void grabLoop() {
            SourceSpec spec = config.source();
            boolean isFile = spec.kind() == SourceSpec.Kind.FILE;
            // the test pattern stands in for a camera: FFmpeg makes it as fast as it can, a camera at its own rate
            boolean paced = config.paced() && (isFile || spec.kind() == SourceSpec.Kind.TESTSRC);
            // an unpaced file is a replay as fast as possible: wait for Kafka rather than drop; live sources keep the latest
            boolean keepEvery = isFile && !config.paced();
            PublishSize size = config.publishSize(options.publishSize());
            Backoff backoff = new Backoff(options.backoffInitial().toMillis(), options.backoffMax().toMillis());
            long seq = seqs.start(config.id());
            long sourceFrames = 0;
            long startNanos = 0;
            long startMicros = 0;
            FrameSampler sampler = null;
            int attempt = 0;
            try {
                // never on this thread, which stop() interrupts: an interrupted native load breaks FFmpeg for the JVM
                io.vigil.video.source.SourceNatives.load();
                while (running) {
                    try (VideoSource src = VideoSource.openForJpeg(spec, options.netTimeout().toNanos() / 1000, size.maxWidth(), size.maxHeight())) {
                        if (sampler == null || !isFile) {
                            sampler = new FrameSampler(config.paceFps() > 0 ? config.paceFps() : src.frameRate(), config.targetFps());
                            startNanos = System.nanoTime();
                            startMicros = epochMicros();
                            sourceFrames = 0;
                        }
                        lastFrameNanos = System.nanoTime();
                        long skipped = 0;
                        attempt = 0;
                        setState(CameraState.STREAMING, null);
                        while (running) {
                            long t0 = System.nanoTime();
                            if (!src.next()) break;
                            long t1 = System.nanoTime();
                            if (src.skippedPackets() > skipped) notWholeJpegs(src.skippedPackets() - skipped);
                            skipped = src.skippedPackets();
                            decodeNanos.addAndGet(t1 - t0);
                            grabbed.incrementAndGet();
                            lastFrameNanos = t1;
                            if (state == CameraState.STALLED) setState(CameraState.STREAMING, "frames again");
                            long n = sourceFrames++;
                            long tsMicros;
                            if (paced) {
                                double rate = config.paceFps() > 0 ? config.paceFps() : src.frameRate();
                                long offsetNanos = (long) (n * 1e9 / rate);
                                long wait = startNanos + offsetNanos - System.nanoTime();
                                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                                tsMicros = startMicros + offsetNanos / 1000;
                            } else {
                                tsMicros = epochMicros();
                            }
                            if (!sampler.keep(n)) continue;
                            long e0 = System.nanoTime();
                            EncodedImage img = src.encodeJpeg(config.jpegQuality(), size.maxWidth(), size.maxHeight());
                            encodeNanos.addAndGet(System.nanoTime() - e0);
                            if (img.asCaptured()) asCaptured.incrementAndGet();
                            if (img.bytes().length > options.maxFrameBytes()) {
                                // the topic would refuse it: not sent, no seq used, said once a minute
                                tooLarge(img.bytes().length, options.maxFrameBytes());
                                continue;
                            }
                            seqs.use(config.id(), seq);
                            FrameRecord frame = new FrameRecord(config.id(), seq++, tsMicros, img.width(), img.height(),
                                    FrameHeaders.CODEC_JPEG, img.bytes());
                            if (keepEvery) pending.put(frame);
                            else pending.offer(frame);
                            if (config.maxFrames() > 0 && seq >= config.maxFrames()) {
                                setState(CameraState.FINISHED, "published " + config.maxFrames() + " frames");
                                return;
                            }
                        }
                        if (!running) break;
                        if (isFile) {
                            String damage = src.damage();
                            if (damage != null && damaged.getAndIncrement() == 0) LOG.warn("camera {}: {}", config.id(), damage);
                            if (config.loop()) continue; // next pass; seq and pacing continue
                            setState(CameraState.FINISHED, damage != null ? damage : "end of file");
                            return;
                        }
                        lastError = "stream ended";
                    } catch (VideoSourceException e) {
                        lastError = e.getMessage();
                        if (isFile) {
                            setState(CameraState.FAILED, e.getMessage());
                            LOG.error("camera {}: {}", config.id(), e.getMessage());
                            return;
                        }
                    }
                    if (!running) break;
                    setState(state == CameraState.CONNECTING ? CameraState.CONNECTING : CameraState.RECONNECTING, lastError);
                    long delay = backoff.delayMs(attempt++);
                    reconnects.incrementAndGet();
                    TimeUnit.MILLISECONDS.sleep(delay);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | LinkageError e) {
                // a LinkageError: FFmpeg or OpenCV cannot be loaded in this JVM; said, not a thread that dies silently
                lastError = e.toString();
                setState(CameraState.FAILED, e.toString());
                LOG.error("camera {} stopped: {}", config.id(), e.toString(), e);
            } finally {
                grabDone = true;
            }
        }

        private void sendLoop() {
            try {
                while (true) {
                    FrameRecord f = pending.poll(200, TimeUnit.MILLISECONDS);
                    if (f == null) {
                        if (grabDone || !running) break;
                        continue;
                    }
                    inFlight.acquire();
                    publisher.publish(f, config.frameHeaders(), err -> {
                        inFlight.release();
                        if (err == null) {
                            published.incrementAndGet();
                            recordAge(Math.max(0, System.currentTimeMillis() - f.tsMicros() / 1000));
                        } else if (err instanceof RecordTooLargeException) {
                            tooLarge(f.payload().length, -1); // the broker's limit is below the gateway's
                        } else {
                            lastError = err.toString();
                            // a publisher that is down refuses every frame: said for the first and then every 100th
                            if (failed.incrementAndGet() % 100 == 1) LOG.warn("camera {}: frame {} not published ({} so far): {}", config.id(), f.seq(), failed.get(), err.toString());
                        }
                    });
                }
                inFlight.acquire(options.maxInFlight()); // wait for the last acknowledgements
                inFlight.release(options.maxInFlight());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
