package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeArgumentTest {
    @Test
    void epochMillisAndIsoInstantsMeanTheSameTime() {
        assertEquals(1_764_437_400_000L, TimeArgument.epochMillis("--from", "2025-11-29T17:30:00Z"));
        assertEquals(1_764_437_400_000L, TimeArgument.epochMillis("--from", " 1764437400000 "));
    }

    @Test
    void anythingElseNamesTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeArgument.epochMillis("--to", "yesterday"));
        assertTrue(e.getMessage().startsWith("--to must be epoch ms or an ISO-8601 instant"), e.getMessage());
        assertTrue(e.getMessage().contains("'yesterday'"), e.getMessage());
    }
}
