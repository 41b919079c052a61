package io.vigil.models.runtime;

import ai.onnxruntime.OrtEnvironment;

/** The one ONNX Runtime environment of this JVM; sessions are created against it and closed by their owners. */
public final class OrtRuntime {
    private OrtRuntime() {}

    public static OrtEnvironment env() {
        return OrtEnvironment.getEnvironment();
    }
}
