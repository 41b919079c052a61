package io.vigil.video.gateway;

/** Where camera state changes and heartbeats go: {@code vigil.camera-status} in production. */
public interface StatusSink extends AutoCloseable {
    void publish(CameraStatus status);

    @Override
    default void close() {}

    StatusSink NONE = s -> { };
}
