package io.vigil.video.kafka;

import java.util.List;
import java.util.Locale;

/** The Kafka topic names fixed in DESIGN.md, and the short names CLI flags accept. */
public final class Topics {
    public static final String FRAMES = "vigil.frames";
    public static final String CAMERAS = "vigil.cameras";
    public static final String CAMERA_STATUS = "vigil.camera-status";
    public static final String DETECTIONS = "vigil.detections";
    public static final String ACTIONS = "vigil.actions";
    public static final String DEADLETTER = "vigil.deadletter";
    /** Compacted: key = rule id, value = rule JSON (zone, line, calibration), tombstone = delete. */
    public static final String RULES = "vigil.rules";
    public static final String ANALYTICS = "vigil.analytics";
    public static final String COUNTS = "vigil.counts";
    /**
     * The gateway group's (not a user's) topic, compacted: key = camera id, value = the next seq the camera's stream
     * continues at; its partitions are the group's slots: a gateway owns the cameras whose key falls in the partitions
     * the consumer group assigns it ({@code docs/operations.md}).
     */
    public static final String GATEWAY_SEQ = "vigil.gateway-seq";
    /** The slots of the gateway group: {@link #GATEWAY_SEQ}'s partitions, as {@code vigil kafka} creates it. */
    public static final int GATEWAY_SLOTS = 32;

    /**
     * The largest frame (JPEG bytes) the gateway sends: a 3840x2160 JPEG at quality 80 is 1-4 MB, so 16 MiB leaves room
     * for 8K and noisy scenes. The frames topic's {@code max.message.bytes} and the producer's {@code max.request.size}
     * are this plus {@link #RECORD_OVERHEAD} (key, headers, batch framing); a larger frame is not sent, and the camera's
     * status says {@code frame too large}.
     */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** Room for a frame record's key, headers and batch framing on top of its payload. */
    public static final int RECORD_OVERHEAD = 64 * 1024;
    /** {@code max.message.bytes} of the frames topic (and {@code max.request.size} of the gateway's producer). */
    public static final int FRAMES_MAX_MESSAGE_BYTES = MAX_FRAME_BYTES + RECORD_OVERHEAD;

    public static final List<String> ALL = List.of(FRAMES, CAMERAS, CAMERA_STATUS, DETECTIONS, ACTIONS, DEADLETTER, RULES, ANALYTICS, COUNTS);

    /** Vigil's own bookkeeping, not for users to read or write: the gateway group's slots and seqs. */
    public static final List<String> INTERNAL = List.of(GATEWAY_SEQ);

    private Topics() {}

    /** Accepts {@code detections} or {@code vigil.detections}; rejects names Vigil does not own. */
    public static String resolve(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        String full = n.startsWith("vigil.") ? n : "vigil." + n;
        if (!ALL.contains(full)) {
            throw new IllegalArgumentException("unknown topic '" + name + "': expected one of " + ALL
                    + " or their short names (frames, detections, ...)");
        }
        return full;
    }
}
