package io.vigil.models.action;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.models.runtime.Sessions;

/** Opening an action model's session, and giving it back when the graph does not fit its contract. */
final class ActionSessions {
    private ActionSessions() {}

    static OrtSession open(ModelBundle bundle, ExecutionProvider provider, int threads) {
        try {
            return Sessions.open(bundle.onnxFile(), provider, threads).session();
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot load " + bundle.onnxFile() + ": " + e.getMessage(), e);
        }
    }

    /** Closes the session after a failed check and returns the error to throw (the check's own, or a wrapped one). */
    static ModelException rejected(OrtSession session, ModelBundle bundle, Exception e) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the first error is the one to report
        }
        if (e instanceof ModelException m) return m;
        return new ModelException("cannot read the graph of " + bundle.onnxFile() + ": " + e.getMessage(), e);
    }
}
