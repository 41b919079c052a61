package io.vigil.lab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OsThreadsTest {
    @Test
    void readsUserAndSystemTicksPastANameWithSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (detect -> (a) b) R 1 1 1 0 -1 4194560 10 0 0 0 1234 56 0 0 20 0 1 0 100 0 0";
        assertEquals(1234 + 56, OsThreads.ticks(stat));
    }

    @Test
    void foldsThreadNumbersIntoOneGroup() {
        assertEquals("GC Thread#", OsThreads.group("GC Thread#0"));
        assertEquals("GC Thread#", OsThreads.group("GC Thread#12"));
        assertEquals("C# CompilerThre", OsThreads.group("C2 CompilerThre"));
    }

    @Test
    void aBusyThreadOfThisProcessShowsUp() {
        OsThreads t = new OsThreads();
        t.begin();
        long until = System.nanoTime() + 300_000_000L;
        double x = 0;
        while (System.nanoTime() < until) x += Math.sqrt(x + 1);
        Map<String, Double> perFrame = t.end(1);
        double total = perFrame.values().stream().mapToDouble(Double::doubleValue).sum();
        assertTrue(total >= 100, "at least 100 ms of CPU seen over 300 ms of spinning, got " + perFrame + " (" + x + ")");
    }
}
