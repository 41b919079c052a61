package io.vigil.events;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What an analytics event says happened ({@code type} on vigil.analytics), with its wire name. */
public enum AnalyticsType {
    ZONE_ENTER("zone-enter"),
    ZONE_EXIT("zone-exit"),
    LOITERING("loitering"),
    LINE_CROSS("line-cross"),
    SPEEDING("speeding");

    private final String wire;

    AnalyticsType(String wire) {
        this.wire = wire;
    }

    /** The name in the JSON event. */
    public String wire() {
        return wire;
    }

    /** The type of a wire name; an unknown one lists the known. */
    public static AnalyticsType fromWire(String name) {
        for (AnalyticsType t : values()) if (t.wire.equals(name)) return t;
        throw new IllegalArgumentException("analytics event type '" + name + "' is unknown: one of " + wireNames());
    }

    /** A wire name's type, or null for a name that is not one (e.g. an event written by a newer release). */
    public static AnalyticsType ofWireOrNull(String name) {
        for (AnalyticsType t : values()) if (t.wire.equals(name)) return t;
        return null;
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(AnalyticsType::wire).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return wire;
    }
}
