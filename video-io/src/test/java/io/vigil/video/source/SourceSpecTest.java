package io.vigil.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourceSpecTest {
    @Test
    void parsesEachKind() {
        assertEquals(SourceSpec.Kind.TESTSRC, SourceSpec.parse("testsrc").kind());
        SourceSpec t = SourceSpec.parse("testsrc:320x240@5");
        assertEquals(320, t.testWidth());
        assertEquals(240, t.testHeight());
        assertEquals(5.0, t.testFps());
        assertEquals(SourceSpec.Kind.URL, SourceSpec.parse("rtsp://cam.local:8554/x").kind());
        assertEquals(SourceSpec.Kind.FILE, SourceSpec.parse("videos/a.mp4").kind());
        assertEquals(SourceSpec.Kind.FILE, SourceSpec.parse("file:///tmp/a.mp4").kind());
    }

    @Test
    void badSchemeIsRejectedWithoutLeakingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceSpec.parse("gopher://u:secret@h/x"));
        assertTrue(e.getMessage().contains("gopher"));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void credentialsAreRedacted() {
        assertEquals("rtsp://admin:***@10.0.0.5:554/stream", Redaction.redact("rtsp://admin:hunter2@10.0.0.5:554/stream"));
        assertEquals("see rtsp://a:***@h/x and http://b:***@g/", Redaction.redact("see rtsp://a:p@h/x and http://b:q@g/"));
        assertEquals("rtsp://host/x", Redaction.redact("rtsp://host/x"));
        assertEquals("rtsp://admin:***@h/x", SourceSpec.parse("rtsp://admin:pw@h/x").display());
    }
}
