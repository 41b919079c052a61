package io.vigil.models.bundle;

/** A model that cannot be used: missing, not ONNX, or not matching its descriptor. The message names what is wrong. */
public final class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
