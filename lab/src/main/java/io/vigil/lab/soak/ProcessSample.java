package io.vigil.lab.soak;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One look at this JVM's resources: heap after a full GC, direct buffers, native memory as the JVM tracks it (with
 * {@code -XX:NativeMemoryTracking=summary}; -1 without), resident set size, threads and open files.
 *
 * @param heapAfterGcBytes  heap in use right after {@code System.gc()}
 * @param directBytes       NIO direct buffers in use
 * @param nativeCommitted   committed memory in the JVM's native memory tracking summary, or -1 when it is off
 * @param rssBytes          resident set size from /proc/self/status (everything: JVM, ONNX Runtime, FFmpeg, OpenCV)
 * @param threads           live threads
 * @param openFiles         entries in /proc/self/fd, except those under {@code exclude} (an embedded broker's log segments,
 *                          which accumulate by design until the topic's retention deletes them)
 * @param excludedFiles     entries under {@code exclude}
 */
public record ProcessSample(long heapAfterGcBytes, long directBytes, long nativeCommitted, long rssBytes, int threads, int openFiles,
                            int excludedFiles) {
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)(KB|MB)?, committed=(\\d+)(KB|MB)?");

    public static ProcessSample take() throws InterruptedException {
        return take(null);
    }

    /** @param exclude open files under this directory are counted apart (null: none) */
    public static ProcessSample take(Path exclude) throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        long heap = mem.getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) direct = b.getMemoryUsed();
        }
        int[] files = countOpenFiles(exclude);
        return new ProcessSample(heap, direct, readNativeCommitted(), readRss(), ManagementFactory.getThreadMXBean().getThreadCount(), files[0], files[1]);
    }

    static long readRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** {open files not under exclude, open files under it}. */
    static int[] countOpenFiles(Path exclude) {
        int[] n = new int[2];
        String prefix = exclude == null ? null : exclude.toAbsolutePath().normalize().toString();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue; // closed while listing (the listing's own descriptor, among others)
                }
                n[prefix != null && target.startsWith(prefix) ? 1 : 0]++;
            }
            return n;
        } catch (IOException e) {
            return new int[] {-1, -1};
        }
    }

    /** The NMT summary's committed total, through the same diagnostic command jcmd uses. */
    static long readNativeCommitted() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object out = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = NMT_TOTAL.matcher(String.valueOf(out));
            if (!m.find()) return -1;
            long v = Long.parseLong(m.group(3));
            String unit = m.group(4) == null ? "KB" : m.group(4);
            return unit.equals("MB") ? v * 1024 * 1024 : v * 1024;
        } catch (Exception e) {
            return -1;
        }
    }
}
