package io.vigil.flink.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * CPU time a stage spends on its frames, as a counter of nanoseconds ({@code cpuNanos<Stage>}): the calling thread's
 * CPU clock read before and after the work (a {@code clock_gettime} of about half a microsecond, a few per frame:
 * well under 1 % of a frame's cost). {@code vigil bench pipeline} divides each by the frames to get ms of CPU per
 * frame by stage. Where the JVM cannot read thread CPU time, wall time stands in.
 */
public final class StageCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();
    /** The metric name prefix every stage's counter shares. */
    public static final String PREFIX = "cpuNanos";

    private final Counter nanos;

    private StageCpu(Counter nanos) {
        this.nanos = nanos;
    }

    /** A stage's counter {@code cpuNanos<stage>} in {@code group}. */
    public static StageCpu of(MetricGroup group, String stage) {
        return new StageCpu(group.counter(PREFIX + stage));
    }

    /** This thread's CPU clock, ns. */
    public static long now() {
        return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Adds the time since {@code start} (a {@link #now()}); returns now, to chain the next stage. */
    public long since(long start) {
        long t = now();
        nanos.inc(t - start);
        return t;
    }

    /** Adds time measured elsewhere (e.g. on a worker thread). */
    public void add(long n) {
        nanos.inc(n);
    }
}
