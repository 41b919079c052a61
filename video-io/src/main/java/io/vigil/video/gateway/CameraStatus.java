package io.vigil.video.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One event on {@code vigil.camera-status}: a state change or a heartbeat.
 *
 * @param ts       epoch ms
 * @param reason   why (for changes), credentials redacted; null for heartbeats
 * @param fps      frames published per second over the last interval
 * @param dropped  frames dropped so far (keep-latest when Kafka is slower than the camera)
 */
public record CameraStatus(String camera, long ts, CameraState state, String reason, double fps, long dropped,
                           long published, long reconnects) {
    public static final String SCHEMA = "vigil.camera-status/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        return toJson(null);
    }

    /** With the id of the gateway that owns the camera (in a gateway group), when not null. */
    public byte[] toJson(String gateway) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("camera", camera);
        n.put("ts", ts);
        n.put("state", state.wire());
        if (reason == null) n.putNull("reason");
        else n.put("reason", reason);
        n.put("fps", Math.round(fps * 100) / 100.0);
        n.put("dropped", dropped);
        n.put("published", published);
        n.put("reconnects", reconnects);
        if (gateway != null) n.put("gateway", gateway);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
