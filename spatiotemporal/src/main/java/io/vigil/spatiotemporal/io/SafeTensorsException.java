package io.vigil.spatiotemporal.io;

/** A safetensors file that cannot be read, or weights that do not fit the model; the message names the tensor. */
public final class SafeTensorsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsException(String message) {
        super(message);
    }
}
