package io.vigil.models.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.vigil.models.TestData;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.Detector;
import io.vigil.models.detect.DetectorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code path that registers CUDA, for real. Runs only where it can: the {@code -Pgpu} build (onnxruntime_gpu)
 * on a host with the CUDA 12 runtime and cuDNN 9 libraries; skipped elsewhere with a message saying which part
 * is missing. (The CPU fallback is tested in YoloxNanoDetectorTest everywhere.)
 */
class CudaProviderTest {
    private static final List<String> LIB_DIRS = List.of("/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/local/cuda-12/lib64");

    private static boolean hasLib(String prefix) {
        for (String d : LIB_DIRS) {
            try (var s = Files.list(Path.of(d))) {
                if (s.anyMatch(p -> p.getFileName().toString().startsWith(prefix))) return true;
            } catch (Exception ignored) {
                // directory absent
            }
        }
        return false;
    }

    @Test
    void cudaProviderRunsTheDetectorWhereCudaExists() {
        boolean gpuBuild = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        assumeTrue(gpuBuild, "skipped: this build uses the CPU onnxruntime artifact; build with -Pgpu to test CUDA");
        assumeTrue(hasLib("libcudart.so.12") && hasLib("libcudnn.so.9"),
                "skipped: no CUDA 12 runtime (libcudart.so.12) and cuDNN 9 (libcudnn.so.9) on this host");
        try (Detector d = Detector.open(ModelBundle.load(TestData.model("yolox-nano")),
                DetectorOptions.defaults().withProvider(ExecutionProvider.parse("cuda:0")))) {
            assertEquals(ExecutionProvider.Kind.CUDA, d.provider().kind());
            var f = TestData.vtestFrame(100);
            assertEquals(10, d.detect(f.pixels(), f.width(), f.height()).detections().size());
        }
    }
}
