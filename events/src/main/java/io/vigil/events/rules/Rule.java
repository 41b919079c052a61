package io.vigil.events.rules;

import java.util.List;

/**
 * One analytics rule of a camera, as read from {@code vigil.rules} (schema {@value #SCHEMA}, fields per DESIGN.md).
 * Immutable; built only by {@link RuleJson#parse}, which validates every field.
 *
 * @param points        zone: the polygon [n >= 3][2]; line: A and B [2][2]; calibration: 4 image points; all 0..1 of the frame
 * @param ground        calibration only: where the 4 image points lie on the ground, metres [4][2]; else null
 * @param classes       labels the rule applies to (default person)
 * @param minFrames     consecutive frames an object must be inside / on the new side before an event
 * @param loiterSeconds zone: dwell after which one {@code loitering} event fires per visit; NaN for none
 * @param maxSpeed      above this an object is {@code speeding} (m/s with a calibration, else px/s); NaN for none
 */
public record Rule(String id, String camera, Kind kind, String name, double[][] points, double[][] ground, List<String> classes,
                   int minFrames, double loiterSeconds, double maxSpeed, Anchor anchor) {
    public static final String SCHEMA = "rules/1";
    public static final int DEFAULT_MIN_FRAMES = 3;

    public enum Kind {
        ZONE("zone"), LINE("line"), CALIBRATION("calibration");

        public final String json;

        Kind(String json) {
            this.json = json;
        }
    }

    /** The point of a box a rule looks at. */
    public enum Anchor {
        BOTTOM_CENTRE("bottom-centre"), CENTRE("centre");

        public final String json;

        Anchor(String json) {
            this.json = json;
        }

        /** x (0) and y (1) of the anchor of box [x1, y1, x2, y2], divided by the frame size. */
        public void of(float[] box, int width, int height, double[] out) {
            out[0] = (box[0] + box[2]) / 2.0 / width;
            out[1] = (this == BOTTOM_CENTRE ? box[3] : (box[1] + box[3]) / 2.0) / height;
        }
    }

    public boolean appliesTo(String label) {
        return classes.contains(label);
    }
}
