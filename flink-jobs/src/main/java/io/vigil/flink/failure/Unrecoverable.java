package io.vigil.flink.failure;

import io.vigil.models.bundle.ModelException;
import io.vigil.spatiotemporal.io.SafeTensorsException;
import java.util.concurrent.Callable;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Opening what an operator needs (a model file, weights) where a restart cannot help: a missing or broken file is still
 * missing or broken after a restart, so instead of restarting forever the job fails once, with the reason.
 */
public final class Unrecoverable {
    private Unrecoverable() {}

    /**
     * Runs {@code open}; a {@link ModelException} or {@link SafeTensorsException} (file missing, unreadable, of the wrong
     * shape) stops the job without restarts, naming {@code what} and the reason.
     */
    public static <T> T open(String what, Callable<T> open) throws Exception {
        try {
            return open.call();
        } catch (ModelException | SafeTensorsException e) {
            throw new SuppressRestartsException(new IllegalStateException("cannot open the " + what + ": " + e.getMessage()
                    + " (a restart cannot fix this, so the job stops; on a cluster every TaskManager must see the file)", e));
        }
    }
}
