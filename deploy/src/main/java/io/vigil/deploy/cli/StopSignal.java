package io.vigil.deploy.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM (a pod being stopped) for a command that runs until stopped. The JVM halts as soon as its
 * shutdown hooks return, whatever its other threads are doing, so a hook that only says "stop" cuts the command's
 * cleanup short: a gateway's handover to its group, a broker's clean shutdown, a consumer's last commit. This hook
 * says stop and then waits, up to {@link #GRACE}, until the command has closed this (its last resource) after the rest.
 */
final class StopSignal implements AutoCloseable {
    /** How long a stop waits for the cleanup (Kubernetes' default grace period is 30 s as well). */
    static final Duration GRACE = Duration.ofSeconds(30);

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    StopSignal() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-stop"));
    }

    /** Waits for a stop; true once one came. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return stop.await(timeout, unit);
    }

    void await() throws InterruptedException {
        stop.await();
    }

    /** The command has cleaned up: the JVM may halt. */
    @Override
    public void close() {
        stopped.countDown();
    }
}
