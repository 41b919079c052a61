package io.vigil.deploy.cli;

import java.time.Instant;

/** The one way a command reads a point in time: epoch milliseconds or an ISO-8601 instant ({@code 2026-11-29T17:30:00Z}). */
final class TimeArgument {
    private TimeArgument() {}

    /** Epoch milliseconds of {@code text}; a value that is neither names {@code flag}. */
    static long epochMillis(String flag, String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("-?\\d+")) return Long.parseLong(t);
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(flag + " must be epoch ms or an ISO-8601 instant (2026-11-29T17:30:00Z), got '" + text + "'");
        }
    }
}
