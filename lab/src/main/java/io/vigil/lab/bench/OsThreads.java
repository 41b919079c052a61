package io.vigil.lab.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of this process by OS thread name, from {@code /proc/self/task}: what the JVM's thread list cannot see (GC
 * and JIT threads, native threads that OpenCV or ONNX Runtime start) and threads that ended within the window
 * (the remainder). Linux only; elsewhere {@link #begin} finds nothing and the breakdown is empty.
 */
final class OsThreads {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICK_MS = 10.0; // USER_HZ is 100 on every Linux this runs on
    private Map<String, long[]> start = Map.of(); // tid -> {ticks}, name kept beside
    private Map<String, String> names = Map.of();
    private long processTicksStart;

    void begin() {
        names = new HashMap<>();
        start = sample(names);
        processTicksStart = processTicks();
    }

    /** ms of CPU per frame by thread name (digits folded, so "GC Thread#0" and "#1" are one group), largest first. */
    Map<String, Double> end(long frames) {
        Map<String, String> nowNames = new HashMap<>();
        Map<String, long[]> now = sample(nowNames);
        Map<String, Long> byGroup = new HashMap<>();
        long sum = 0;
        for (Map.Entry<String, long[]> e : now.entrySet()) {
            long[] before = start.get(e.getKey());
            long d = e.getValue()[0] - (before == null ? 0 : before[0]);
            sum += d;
            byGroup.merge(group(nowNames.get(e.getKey())), d, Long::sum);
        }
        long ended = Math.max(0, processTicks() - processTicksStart - sum);
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byGroup.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : sorted) {
            if (e.getValue() > 0) out.put(e.getKey(), e.getValue() * TICK_MS / frames);
        }
        out.put("(threads that ended)", ended * TICK_MS / frames);
        return out;
    }

    static String group(String comm) {
        return comm == null ? "?" : comm.replaceAll("[0-9]+", "#").replaceAll("#+", "#");
    }

    private static Map<String, long[]> sample(Map<String, String> namesOut) {
        Map<String, long[]> m = new HashMap<>();
        if (!Files.isDirectory(TASKS)) return m;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(TASKS)) {
            for (Path t : ds) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    long ticks = ticks(stat);
                    namesOut.put(t.getFileName().toString(), Files.readString(t.resolve("comm")).strip());
                    m.put(t.getFileName().toString(), new long[] {ticks});
                } catch (IOException gone) {
                    // the thread ended between the listing and the read: its time shows in the remainder
                }
            }
        } catch (IOException e) {
            return m;
        }
        return m;
    }

    private static long processTicks() {
        try {
            return ticks(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException e) {
            return 0;
        }
    }

    /** utime + stime, fields 14 and 15 of a stat line; the name in parentheses may hold spaces, so count from its end. */
    static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
