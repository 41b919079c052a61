package io.vigil.models.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Sessions shared by the operators of one JVM (one TaskManager slot's operators, or several detectors on the
 * same model): an ONNX Runtime session is thread-safe for {@code run}, and loading a model once saves its memory
 * and start-up per operator. Reference-counted: the last {@link Lease#close()} closes the session.
 */
public final class SharedSessions {
    private record Key(Path model, String provider, int threads) {}

    private static final class Entry {
        final Sessions.Opened opened;
        int refs;

        Entry(Sessions.Opened opened) {
            this.opened = opened;
        }
    }

    private static final Map<Key, Entry> SESSIONS = new HashMap<>();

    private SharedSessions() {}

    /** A handle on a shared session; close it when done. */
    public static final class Lease implements AutoCloseable {
        private final Key key;
        private final Sessions.Opened opened;
        private boolean closed;

        private Lease(Key key, Sessions.Opened opened) {
            this.key = key;
            this.opened = opened;
        }

        public OrtSession session() {
            return opened.session();
        }

        public ExecutionProvider provider() {
            return opened.provider();
        }

        /** Why the session does not run on the provider asked for, null when it does. */
        public String fallbackReason() {
            return opened.fallbackReason();
        }

        @Override
        public void close() {
            synchronized (SESSIONS) {
                if (closed) return;
                closed = true;
                Entry e = SESSIONS.get(key);
                if (e != null && --e.refs == 0) {
                    SESSIONS.remove(key);
                    try {
                        e.opened.session().close();
                    } catch (OrtException ex) {
                        throw new IllegalStateException("closing the session of " + key.model() + " failed: " + ex.getMessage(), ex);
                    }
                }
            }
        }
    }

    public static Lease acquire(Path model, ExecutionProvider provider, int threads) throws OrtException {
        return acquire(model, provider, threads, false);
    }

    /**
     * @param require fail instead of running on CPU when {@code provider} cannot be used; a session that fell back
     *                earlier is not handed to a caller that requires the provider, and every caller that gets one is
     *                warned, not only the first
     */
    public static Lease acquire(Path model, ExecutionProvider provider, int threads, boolean require) throws OrtException {
        Key key = new Key(model.toAbsolutePath().normalize(), provider.toString(), threads);
        synchronized (SESSIONS) {
            Entry e = SESSIONS.get(key);
            if (e == null) {
                e = new Entry(Sessions.open(model, provider, threads, require));
                SESSIONS.put(key, e);
            } else if (e.opened.fallbackReason() != null) {
                if (require) {
                    throw new io.vigil.models.bundle.ModelException("execution provider " + provider + " is required (--require-provider / "
                            + "detect.requireProvider) but " + e.opened.fallbackReason() + ": not falling back to CPU");
                }
                org.slf4j.LoggerFactory.getLogger(SharedSessions.class).warn("{}: {} runs on CPU (a session shared with an earlier detector)",
                        e.opened.fallbackReason(), model.getFileName());
            }
            e.refs++;
            return new Lease(key, e.opened);
        }
    }

    /** Sessions open now (for tests and metrics). */
    public static int open() {
        synchronized (SESSIONS) {
            return SESSIONS.size();
        }
    }
}
