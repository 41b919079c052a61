package io.vigil.video.gateway;

import java.util.Locale;

/** What a camera is doing, as published on {@code vigil.camera-status}. */
public enum CameraState {
    CONNECTING, STREAMING, STALLED, RECONNECTING, FAILED, REMOVED, FINISHED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
