package io.vigil.flink.detect;

import io.vigil.flink.failure.Unrecoverable;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.DetectionResult;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import io.vigil.models.detect.FrameInput;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The detector runs of one Detect subtask: with concurrency 1 each run happens on the task thread; with more, on
 * that many worker threads, each with its own {@link Detector} (its buffers) over the one shared ONNX Runtime session
 * (it runs concurrent calls, each on its caller's thread when the session has one intra-op thread). A finished run is
 * handed back to the task thread through {@code handBack} (the mailbox), so everything a run's results touch stays
 * on the task thread. Runs finish in any order; the operator emits in arrival order.
 */
final class DetectorPool implements AutoCloseable {
    /** One detector run over a batch of frames; done once {@code latch} opens. */
    static final class Run {
        final CountDownLatch latch = new CountDownLatch(1);
        final int size;
        volatile List<DetectionResult> results;
        volatile Throwable error;
        volatile long nanos;
        volatile long doneMs;
        volatile long cpuNanos; // the run's thread CPU time (inference on one intra-op thread runs on that thread)
        boolean accounted; // its cost taken into the metrics and the budget (task thread only)
        List<FrameInput> inputs; // what it ran on, so the operator can reuse the pixel arrays once it is done

        Run(int size) {
            this.size = size;
        }

        boolean done() {
            return latch.getCount() == 0;
        }
    }

    private final Detector first;                       // the task thread's (concurrency 1) or the first worker's
    private final ArrayBlockingQueue<Detector> idle;    // workers' detectors not running now; null with concurrency 1
    private final ExecutorService workers;              // null: runs on the task thread
    private final ArrayDeque<Run> running = new ArrayDeque<>(); // runs handed to a worker and not yet accounted, oldest first
    private final int concurrency;

    DetectorPool(ModelBundle bundle, DetectorOptions opts, int concurrency, String threadPrefix) throws Exception {
        this.concurrency = concurrency;
        this.first = Unrecoverable.open("detector", () -> Detector.open(bundle, opts));
        if (concurrency > 1) {
            idle = new ArrayBlockingQueue<>(concurrency);
            idle.add(first);
            for (int i = 1; i < concurrency; i++) idle.add(Unrecoverable.open("detector", () -> Detector.open(bundle, opts)));
            AtomicInteger n = new AtomicInteger();
            workers = Executors.newFixedThreadPool(concurrency, r -> {
                Thread t = new Thread(r, threadPrefix + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        } else {
            idle = null;
            workers = null;
        }
    }

    /** The detector every run uses alike: its provider, batch capacity and fallback reason. */
    Detector detector() {
        return first;
    }

    int concurrency() {
        return concurrency;
    }

    /**
     * Starts a run over {@code inputs}: at once on the task thread (concurrency 1), else on a free worker, waiting
     * first while all are busy ({@code drain} emits what is done meanwhile). {@code handBack} runs on the worker when
     * the run is done and must move the rest to the task thread.
     */
    Run submit(List<FrameInput> inputs, Consumer<Run> handBack, ThrowingRunnable drain) throws Exception {
        Run run = new Run(inputs.size());
        run.inputs = inputs;
        if (workers == null) {
            execute(first, run, inputs);
            run.latch.countDown();
            return run;
        }
        while (running.size() >= concurrency) {
            // the oldest run may be done already, its frames waiting for the mail that emits them: emit them first
            drain.run();
            if (running.size() >= concurrency) running.peek().latch.await();
        }
        Detector d = idle.poll();
        if (d == null) throw new IllegalStateException("no idle detector with " + running.size() + " of " + concurrency + " runs in flight");
        running.add(run);
        workers.execute(() -> {
            try {
                execute(d, run, inputs);
            } finally {
                idle.add(d); // before the run shows done: the task thread may start the next run at once
                run.latch.countDown();
                handBack.accept(run);
            }
        });
        return run;
    }

    /** The run is emitted: it no longer counts against the workers. */
    void retire(Run run) {
        running.remove(run);
    }

    private static void execute(Detector d, Run run, List<FrameInput> inputs) {
        try {
            long t0 = System.nanoTime();
            long c0 = io.vigil.flink.metrics.StageCpu.now();
            run.results = d.detectBatch(inputs);
            run.cpuNanos = io.vigil.flink.metrics.StageCpu.now() - c0;
            run.nanos = System.nanoTime() - t0;
        } catch (Throwable t) {
            run.error = t;
        } finally {
            run.doneMs = System.currentTimeMillis();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public void close() throws Exception {
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(30, TimeUnit.SECONDS); // a run in flight still uses its detector's buffers
        }
        if (idle != null) {
            for (Detector d : idle) d.close();
        } else {
            first.close();
        }
    }
}
