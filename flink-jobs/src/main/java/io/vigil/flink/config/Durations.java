package io.vigil.flink.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations for settings: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare number of seconds. */
public final class Durations {
    private static final Pattern P = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Durations() {}

    /** {@link #parse(String)} for a command-line flag: a bad value's message names {@code flag}. */
    public static Duration parse(String flag, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + flag + " " + e.getMessage());
        }
    }

    public static Duration parse(String text) {
        Matcher m = text == null ? null : P.matcher(text.trim());
        if (m == null || !m.matches()) throw new IllegalArgumentException("must be a duration like 500ms, 30s, 5m or 1h, got '" + text + "'");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            default -> v * 3_600_000;
        };
        return Duration.ofMillis(Math.round(ms));
    }
}
