package io.vigil.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.models.TestData;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.bundle.ModelException;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import org.junit.jupiter.api.Test;

/**
 * A detector asked for CUDA where CUDA cannot be used (the CPU build of ONNX Runtime here): every detector says it fell
 * back, not only the first, and one that requires the provider fails naming why.
 */
class ProviderFallbackTest {
    private static final ExecutionProvider CUDA = ExecutionProvider.parse("cuda:0");

    @Test
    void everyDetectorThatFallsBackSaysSoAndARequiredProviderFails() {
        ModelBundle b = ModelBundle.load(TestData.model("fastestdet"));
        DetectorOptions cuda = DetectorOptions.defaults().withThreads(1).withProvider(CUDA);
        try (Detector first = Detector.open(b, cuda); Detector second = Detector.open(b, cuda)) {
            assumeTrue(first.provider() == ExecutionProvider.CPU, "CUDA works on this host: nothing falls back");
            assertEquals(ExecutionProvider.CPU, second.provider());
            assertNotNull(first.fallbackReason());
            assertTrue(first.fallbackReason().contains("cuda:0 is not available"), first.fallbackReason());
            assertEquals(first.fallbackReason(), second.fallbackReason(), "the second detector, on the shared session, knows too");
            // a detector that requires CUDA is not handed the CPU session the others share
            ModelException shared = assertThrows(ModelException.class, () -> Detector.open(b, cuda.withRequireProvider(true)).close());
            assertTrue(shared.getMessage().contains("cuda:0 is required") && shared.getMessage().contains("not falling back"), shared.getMessage());
        }
        // nor does it open one of its own
        ModelException alone = assertThrows(ModelException.class, () -> Detector.open(b, cuda.withRequireProvider(true).withThreads(2)).close());
        assertTrue(alone.getMessage().contains("cuda:0 is required") && alone.getMessage().contains("is not available"), alone.getMessage());
    }

    @Test
    void cpuAsAskedIsNoFallback() {
        try (Detector d = Detector.open(ModelBundle.load(TestData.model("fastestdet")), DetectorOptions.defaults().withThreads(1))) {
            assertEquals(ExecutionProvider.CPU, d.provider());
            assertEquals(null, d.fallbackReason());
        }
    }
}
