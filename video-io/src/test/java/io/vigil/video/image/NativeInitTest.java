package io.vigil.video.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NativeInitTest {
    /** Outside the class under load: touching a field of it would wait for its initialization. */
    static final CountDownLatch STARTED = new CountDownLatch(1);

    /** Stands for a class whose static initialization loads a native library: slow, and broken by an interrupt. */
    static final class SlowToLoad {
        static final String VALUE;

        static {
            STARTED.countDown();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted while loading (as JavaCPP's cache lock is)", e);
            }
            VALUE = "loaded";
        }
    }

    static final class FailsToLoad {
        static {
            if (Boolean.parseBoolean("true")) throw new UnsatisfiedLinkError("no libfoo in java.library.path");
        }
    }

    @Test
    void aWaiterInterruptedWhileTheLibraryLoadsLeavesItLoadedForEveryoneElse() throws Exception {
        AtomicReference<Throwable> waiter = new AtomicReference<>();
        Thread camera = new Thread(() -> {
            try {
                NativeInit.loadOffThread(SlowToLoad.class.getName());
                waiter.set(new AssertionError("returned although interrupted"));
            } catch (Throwable e) {
                waiter.set(e);
            }
        });
        camera.start();
        assertTrue(STARTED.await(10, java.util.concurrent.TimeUnit.SECONDS), "the load started");
        camera.interrupt(); // a camera stopped by a rebalance while it waited
        camera.join(10_000);
        assertTrue(waiter.get() instanceof InterruptedException, "the interrupted waiter is told: " + waiter.get());

        NativeInit.loadOffThread(SlowToLoad.class.getName()); // the load itself went on, untouched
        assertEquals("loaded", SlowToLoad.VALUE);
    }

    @Test
    void aLibraryThatCannotLoadGivesEveryCallerItsError() {
        for (int i = 0; i < 2; i++) {
            LinkageError e = assertThrows(LinkageError.class, () -> NativeInit.loadOffThread(FailsToLoad.class.getName()));
            assertTrue(e.getMessage().contains("no libfoo"), e.getMessage());
        }
    }
}
