package io.vigil.video.gateway;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A small bounded queue that never blocks the producer side: when full, the OLDEST element is dropped to make
 * room (keep-latest), and counted. What a live camera wants when its consumer falls behind.
 */
final class LatestQueue<T> {
    private final ArrayDeque<T> items;
    private final int capacity;
    private long dropped;

    LatestQueue(int capacity) {
        this.capacity = capacity;
        this.items = new ArrayDeque<>(capacity);
    }

    /** @return the element dropped to make room, or null */
    synchronized T offer(T item) {
        T old = null;
        if (items.size() == capacity) {
            old = items.pollFirst();
            dropped++;
        }
        items.addLast(item);
        notifyAll();
        return old;
    }

    /** Waits for room instead of dropping: for replays that must keep every frame. */
    synchronized void put(T item) throws InterruptedException {
        while (items.size() == capacity) wait();
        items.addLast(item);
        notifyAll();
    }

    synchronized T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (items.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        T t = items.pollFirst();
        notifyAll();
        return t;
    }

    synchronized int size() {
        return items.size();
    }

    synchronized long dropped() {
        return dropped;
    }

    synchronized void clear() {
        items.clear();
    }
}
