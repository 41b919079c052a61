package io.vigil.video.gateway;

import io.vigil.video.kafka.FrameRecord;
import java.util.function.Consumer;

/** Where the gateway hands frames; Kafka in production, a list in unit tests. */
public interface FramePublisher extends AutoCloseable {
    /** Called from camera threads concurrently. {@code onDone} gets null on success or the failure. */
    void publish(FrameRecord frame, Consumer<Exception> onDone);

    /** With the camera's extra headers (its detection hints); a publisher that has no headers ignores them. */
    default void publish(FrameRecord frame, java.util.Map<String, String> headers, Consumer<Exception> onDone) {
        publish(frame, onDone);
    }

    void flush();

    @Override
    void close();
}
