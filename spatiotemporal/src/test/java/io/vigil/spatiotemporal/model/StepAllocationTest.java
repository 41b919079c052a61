package io.vigil.spatiotemporal.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.spatiotemporal.stream.StreamState;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming step works in preallocated workspaces: once the JIT has compiled it (and once grown to the batch size),
 * a step or a batched step allocates nothing. (Before C2 has compiled the pass, the Vector API's vectors are objects:
 * a few thousand warm-up calls.) Bytes, not time: this is a property of the code, measured by the JVM's per-thread
 * allocation counter, so it holds on any machine.
 */
class StepAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void stepAndStepBatchAllocateNothingOnceWarm() {
        for (String path : new String[] {"spatiotemporal", "cross-scan"}) {
            SpatiotemporalConfig cfg = new SpatiotemporalConfig(3, 32, 32, 8, 16, 8, 4, 2, 2, path, 2, 2);
            SpatiotemporalModel model = SpatiotemporalModel.random(cfg, 1, "scalar");
            Random r = new Random(2);
            int n = 3;
            float[][] frames = new float[n][3 * 32 * 32];
            for (float[] f : frames) for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
            StreamState[] states = new StreamState[n];
            for (int i = 0; i < n; i++) states[i] = model.newState();
            float[][] results = new float[n][16];
            // until the JIT has compiled the pass: before that the Vector API's vectors are real objects
            for (int i = 0; i < 4000; i++) {
                model.stepBatch(frames, states, results, model.javaRunner());
                model.step(frames[0], states[0], results[0]);
            }
            long t = Thread.currentThread().getId();
            long a0 = THREADS.getThreadAllocatedBytes(t);
            for (int i = 0; i < 20; i++) model.step(frames[i % n], states[i % n], results[i % n]);
            long a1 = THREADS.getThreadAllocatedBytes(t);
            for (int i = 0; i < 20; i++) model.stepBatch(frames, states, results, model.javaRunner());
            long a2 = THREADS.getThreadAllocatedBytes(t);
            assertTrue((a1 - a0) / 20 < 256, path + ": step allocates " + (a1 - a0) / 20 + " bytes per call");
            assertTrue((a2 - a1) / 20 < 256, path + ": stepBatch allocates " + (a2 - a1) / 20 + " bytes per call");
        }
    }
}
