package io.vigil.models.detect;

import java.util.Locale;

/** How a frame is fitted into the network input. */
public enum ResizeMode {
    /** Keep aspect, paste at (0,0), pad right and bottom (YOLOX). */
    LETTERBOX_TOPLEFT,
    /** Keep aspect, centre, pad both sides equally (YOLOv5/v8 style). */
    LETTERBOX_CENTER,
    /** Scale each axis independently to fill the input. */
    STRETCH;

    public static ResizeMode parse(String s) {
        return s == null ? LETTERBOX_TOPLEFT : valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
