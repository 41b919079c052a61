package io.vigil.video.gateway.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * A camera's place in its stream, on {@code vigil.gateway-seq} (key = camera id): the seq its next frame takes, who
 * wrote it, and whether that owner handed the camera over ({@code clean}: its last frames are all committed, the next
 * owner continues at {@code next}) or was still streaming when this was written (a later owner that finds this as the
 * last word skips {@link GatewayGroup#UNCLEAN_GAP} seqs: frames of an aborted transaction used the ones after it).
 */
public record SeqRecord(String camera, long next, String gateway, boolean clean, long ts) {
    public static final String SCHEMA = "vigil.gateway-seq/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("camera", camera);
        n.put("next", next);
        n.put("gateway", gateway);
        n.put("clean", clean);
        n.put("ts", ts);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record, or an IllegalArgumentException naming what is wrong with it. */
    public static SeqRecord parse(String camera, byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            if (!SCHEMA.equals(n.path("schema").asText())) throw new IllegalArgumentException("schema is not " + SCHEMA + ": " + n.path("schema"));
            if (!n.path("next").canConvertToLong() || n.path("next").asLong() < 0) throw new IllegalArgumentException("next: not a seq: " + n.path("next"));
            return new SeqRecord(camera, n.path("next").asLong(), n.path("gateway").asText(""), n.path("clean").asBoolean(false), n.path("ts").asLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }
}
