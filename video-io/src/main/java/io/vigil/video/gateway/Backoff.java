package io.vigil.video.gateway;

import java.util.concurrent.ThreadLocalRandom;

/** Reconnect delays: exponential from {@code initialMs}, capped at {@code maxMs}, with ±20% jitter. */
record Backoff(long initialMs, long maxMs) {
    long delayMs(int attempt) {
        double base = Math.min(maxMs, initialMs * Math.pow(2, Math.min(attempt, 30)));
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.round(base * jitter));
    }
}
