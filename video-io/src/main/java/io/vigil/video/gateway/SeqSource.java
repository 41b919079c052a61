package io.vigil.video.gateway;

/**
 * Where a camera's {@code vigil-seq} continues from. The gateway asks {@link #start} each time it opens a camera and
 * calls {@link #use} before it publishes each seq, so the source can make that seq durable first. Alone, a gateway
 * keeps it on its own disk ({@link SeqStore}); in a gateway group it lives in Kafka, where every gateway can read it.
 */
public interface SeqSource {
    /** The first seq the camera may use now: above every seq published for it before. */
    long start(String camera);

    /** Called on the camera's grab thread before {@code seq} is published. */
    void use(String camera, long seq);
}
