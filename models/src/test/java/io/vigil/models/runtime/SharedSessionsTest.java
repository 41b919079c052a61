package io.vigil.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vigil.models.TestData;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import org.junit.jupiter.api.Test;

class SharedSessionsTest {
    @Test
    void detectorsOfOneModelShareOneSessionUntilTheLastCloses() throws Exception {
        int before = SharedSessions.open();
        ModelBundle b = ModelBundle.load(TestData.model("fastestdet"));
        try (Detector a = Detector.open(b, DetectorOptions.defaults().withThreads(1))) {
            try (SharedSessions.Lease l1 = SharedSessions.acquire(b.onnxFile(), ExecutionProvider.CPU, 1);
                 SharedSessions.Lease l2 = SharedSessions.acquire(b.onnxFile(), ExecutionProvider.CPU, 1)) {
                assertSame(l1.session(), l2.session());
                assertEquals(before + 1, SharedSessions.open());
            }
            assertEquals(before + 1, SharedSessions.open(), "the detector still holds it");
            byte[] grey = new byte[64 * 48 * 3];
            a.detect(grey, 64, 48);
        }
        assertEquals(before, SharedSessions.open());
    }

    @Test
    void providerParsing() {
        assertEquals("cpu", ExecutionProvider.parse("CPU").toString());
        assertEquals("cuda:0", ExecutionProvider.parse("cuda").toString());
        assertEquals("cuda:2", ExecutionProvider.parse("cuda:2").toString());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ExecutionProvider.parse("cuda:x"));
    }
}
