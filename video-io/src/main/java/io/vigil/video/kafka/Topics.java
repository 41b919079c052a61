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

    public static final List<String> ALL = List.of(FRAMES, CAMERAS, CAMERA_STATUS, DETECTIONS, ACTIONS, DEADLETTER);

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
