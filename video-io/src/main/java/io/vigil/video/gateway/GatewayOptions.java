package io.vigil.video.gateway;

import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SourcePolicy;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the gateway treats every camera.
 *
 * @param stallTimeout     no frame for this long while streaming: the camera is reported stalled
 * @param backoffInitial   first reconnect delay; doubles per failed attempt, with jitter
 * @param backoffMax       reconnect delay cap
 * @param pending          frames waiting to be sent per camera; when full the oldest is dropped (keep-latest)
 * @param maxInFlight      frames sent to Kafka but not yet acknowledged, per camera
 * @param heartbeat        interval of status heartbeats (fps, drops) per camera
 * @param netTimeout       socket/open timeout for network sources
 * @param seqDir           where seq reservations persist across restarts; null keeps none
 * @param sourcePolicy     which sources a camera spec (vigil.cameras) may name; refused ones are reported failed
 * @param maxFrameBytes    a JPEG larger than this is not sent (the frames topic would refuse it): reported "frame too large"
 *                         at most once a minute per camera; default {@link Topics#MAX_FRAME_BYTES}
 * @param publishSize      the size a camera's frames are downscaled to fit (keeping aspect) when its own spec names none;
 *                         default {@link PublishSize#DEFAULT}, what the default detector's input needs
 */
public record GatewayOptions(Duration stallTimeout, Duration backoffInitial, Duration backoffMax, int pending, int maxInFlight,
                             Duration heartbeat, Duration netTimeout, Path seqDir, SourcePolicy sourcePolicy, int maxFrameBytes,
                             PublishSize publishSize) {
    public GatewayOptions {
        if (pending < 1) throw new IllegalArgumentException("pending must be >= 1");
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1");
        if (sourcePolicy == null) throw new IllegalArgumentException("sourcePolicy must be given (SourcePolicy.defaults())");
        if (maxFrameBytes < 1024 || maxFrameBytes > Topics.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes must be 1024.." + Topics.MAX_FRAME_BYTES + " (the frames topic's limit), got " + maxFrameBytes);
        }
        if (publishSize == null) throw new IllegalArgumentException("publishSize must be given (PublishSize.DEFAULT, or PublishSize.FULL)");
    }

    public static GatewayOptions defaults() {
        return new GatewayOptions(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(10), 2, 3,
                Duration.ofSeconds(5), Duration.ofSeconds(5), null, SourcePolicy.defaults(), Topics.MAX_FRAME_BYTES,
                PublishSize.DEFAULT);
    }

    public GatewayOptions withSeqDir(Path dir) {
        return new GatewayOptions(stallTimeout, backoffInitial, backoffMax, pending, maxInFlight, heartbeat, netTimeout, dir, sourcePolicy, maxFrameBytes, publishSize);
    }

    public GatewayOptions withHeartbeat(Duration d) {
        return new GatewayOptions(stallTimeout, backoffInitial, backoffMax, pending, maxInFlight, d, netTimeout, seqDir, sourcePolicy, maxFrameBytes, publishSize);
    }

    public GatewayOptions withStallTimeout(Duration d) {
        return new GatewayOptions(d, backoffInitial, backoffMax, pending, maxInFlight, heartbeat, netTimeout, seqDir, sourcePolicy, maxFrameBytes, publishSize);
    }

    public GatewayOptions withBackoff(Duration initial, Duration max) {
        return new GatewayOptions(stallTimeout, initial, max, pending, maxInFlight, heartbeat, netTimeout, seqDir, sourcePolicy, maxFrameBytes, publishSize);
    }

    public GatewayOptions withSourcePolicy(SourcePolicy p) {
        return new GatewayOptions(stallTimeout, backoffInitial, backoffMax, pending, maxInFlight, heartbeat, netTimeout, seqDir, p, maxFrameBytes, publishSize);
    }

    public GatewayOptions withMaxFrameBytes(int bytes) {
        return new GatewayOptions(stallTimeout, backoffInitial, backoffMax, pending, maxInFlight, heartbeat, netTimeout, seqDir, sourcePolicy, bytes, publishSize);
    }

    public GatewayOptions withPublishSize(PublishSize size) {
        return new GatewayOptions(stallTimeout, backoffInitial, backoffMax, pending, maxInFlight, heartbeat, netTimeout, seqDir, sourcePolicy, maxFrameBytes, size);
    }
}
