package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PublishSizeTest {
    @Test
    void parsesABoxOrFull() {
        assertEquals(new PublishSize(640, 480), PublishSize.parse("640x480"));
        assertEquals(PublishSize.FULL, PublishSize.parse("FULL"));
        assertEquals("416x416", PublishSize.DEFAULT.toString());
        assertEquals(PublishSize.DEFAULT, GatewayOptions.defaults().publishSize());
    }

    @Test
    void badTextNamesWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PublishSize.parse("640"));
        assertTrue(e.getMessage().contains("'640'") && e.getMessage().contains("WIDTHxHEIGHT"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PublishSize.parse("8x8"));
        assertTrue(e.getMessage().contains(">= 16"), e.getMessage());
    }

    @Test
    void aSpecWithoutASizeTakesTheGatewaysAndZeroMeansTheCamerasOwn() {
        CameraConfig inherit = CameraSpec.of("a", "testsrc").toConfig();
        assertTrue(inherit.usesGatewaySize());
        assertEquals(new PublishSize(320, 320), inherit.publishSize(new PublishSize(320, 320)));
        CameraConfig full = CameraSpec.of("a", "testsrc").withMaxSize(0, 0).validate().toConfig();
        assertEquals(PublishSize.FULL, full.publishSize(PublishSize.DEFAULT));
        CameraConfig wide = CameraSpec.of("a", "testsrc").withMaxSize(1280, null).validate().toConfig();
        assertEquals(new PublishSize(1280, 0), wide.publishSize(PublishSize.DEFAULT), "one side named: the other is free");
        assertThrows(CameraSpec.InvalidException.class, () -> CameraSpec.of("a", "testsrc").withMaxSize(8, 8).validate());
    }
}
