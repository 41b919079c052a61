package io.vigil.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelsCommandTest {
    @Test
    void listsTheCatalogueWithWhereEachModelIs() {
        CliRun r = CliRun.of("models", "list");
        assertEquals(0, r.exitCode(), r.err());
        for (String n : new String[] {"yolox-nano", "fastestdet", "ultraface-rfb-320", "gesture-point-history", "gesture-point-history-lstm"}) {
            assertTrue(r.out().contains(n), n + " missing:\n" + r.out());
        }
        assertTrue(r.out().contains("yolox_nano.onnx"), "the shared copy is found:\n" + r.out());
    }

    @Test
    void pullOfAnUnknownNameSaysWhichAreKnown() {
        CliRun r = CliRun.of("models", "pull", "resnet50");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("no model 'resnet50'") && r.err().contains("yolox-nano"), r.err());
    }
}
