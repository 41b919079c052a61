package io.vigil.events;

/** Whether and why the detector ran on a frame ({@code inference} on vigil.detections), with its wire name. */
public enum Inference {
    /** The detector ran. */
    FULL("full"),
    /** The camera's detection interval skipped it. */
    INTERVAL("interval"),
    /** No motion and nothing moving. */
    MOTION("motion"),
    /** Too old, or the camera's share of the detector was lowered to catch up. */
    OVERLOAD("overload");

    private final String wire;

    Inference(String wire) {
        this.wire = wire;
    }

    /** The name in the JSON event. */
    public String wire() {
        return wire;
    }

    /** The value of a wire name; an unknown one lists the known. */
    public static Inference fromWire(String name) {
        for (Inference i : values()) if (i.wire.equals(name)) return i;
        throw new IllegalArgumentException("inference '" + name + "' is unknown: one of full, interval, motion, overload");
    }

    @Override
    public String toString() {
        return wire;
    }
}
