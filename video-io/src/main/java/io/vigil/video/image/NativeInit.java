package io.vigil.video.image;

/**
 * JavaCPP's {@code Pointer} must be initialized before any thread loads a native library through {@code Loader}: a
 * library's JNI_OnLoad waits for {@code Pointer}'s class initialization, and {@code Pointer}'s initialization waits
 * for the {@code Loader} lock, so a thread opening FFmpeg while another makes its first {@code Mat} deadlocks both
 * (seen: the demo's camera thread in {@code avutil.<clinit>} and the Flink task in {@code JpegCodec}'s constructor).
 * Every class of Vigil whose static initialization loads a native library calls {@link #pointer()} first.
 */
public final class NativeInit {
    private static final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    private NativeInit() {}

    /**
     * Initializes the named classes (and so loads their native libraries) once per JVM, on a thread of its own, and
     * waits for that. A thread that can be interrupted must never load a library itself: JavaCPP extracts libraries
     * into its cache under a file lock, an interrupt there fails the class's static initialization with a
     * {@code FileLockInterruptionException}, and a class whose initialization failed stays unusable for the JVM's life
     * (seen: three gateways started at once on a fresh cache, each camera stopped by a rebalance while it opened its
     * source, after which no camera of that gateway ever opened: {@code NoClassDefFoundError} on {@code swresample}).
     *
     * @throws InterruptedException when this thread is interrupted while it waits (the loading goes on without it)
     * @throws LinkageError         the loading's own error, for every caller, every time
     */
    public static void loadOffThread(String... classNames) throws InterruptedException {
        String key = String.join(",", classNames);
        java.util.concurrent.CompletableFuture<Void> f = LOADED.computeIfAbsent(key, k -> {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    pointer();
                    for (String c : classNames) Class.forName(c, true, NativeInit.class.getClassLoader());
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }, "vigil-native-load");
            t.setDaemon(true);
            t.start();
            return done;
        });
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ExceptionInInitializerError ei && ei.getCause() != null) c = ei.getCause();
            if (c instanceof LinkageError le) throw le;
            throw new LinkageError("native libraries of " + key + " could not be loaded: " + c, c);
        }
    }

    /** Initializes {@code org.bytedeco.javacpp.Pointer} (and with it JavaCPP's own library) on this thread, once. */
    public static void pointer() {
        try {
            Class.forName("org.bytedeco.javacpp.Pointer", true, NativeInit.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JavaCPP is not on the classpath", e);
        }
    }
}
