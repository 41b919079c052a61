package io.vigil.video.image;

/**
 * JavaCPP's {@code Pointer} must be initialized before any thread loads a native library through {@code Loader}: a
 * library's JNI_OnLoad waits for {@code Pointer}'s class initialization, and {@code Pointer}'s initialization waits
 * for the {@code Loader} lock, so a thread opening FFmpeg while another makes its first {@code Mat} deadlocks both
 * (seen: the demo's camera thread in {@code avutil.<clinit>} and the Flink task in {@code JpegCodec}'s constructor).
 * Every class of Vigil whose static initialization loads a native library calls {@link #pointer()} first.
 */
public final class NativeInit {
    private NativeInit() {}

    /** Initializes {@code org.bytedeco.javacpp.Pointer} (and with it JavaCPP's own library) on this thread, once. */
    public static void pointer() {
        try {
            Class.forName("org.bytedeco.javacpp.Pointer", true, NativeInit.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("JavaCPP is not on the classpath", e);
        }
    }
}
