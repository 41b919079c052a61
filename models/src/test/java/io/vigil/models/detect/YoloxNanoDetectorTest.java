package io.vigil.models.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.models.TestData;
import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.runtime.ExecutionProvider;
import io.vigil.video.image.BgrImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real pretrained YOLOX-Nano reproduces the results recorded in its MODEL.md. */
class YoloxNanoDetectorTest {
    private static Detector detector;

    /** MODEL.md, "vtest.avi frame 100", threshold 0.30, class-aware NMS 0.45: label, score, x1, y1, x2, y2. */
    private static final Object[][] FRAME_100 = {
            {"person", 0.800, 346, 197, 379, 275},
            {"car", 0.797, 732, 51, 767, 94},
            {"person", 0.795, 588, 154, 620, 236},
            {"person", 0.776, 494, 147, 517, 218},
            {"person", 0.772, 377, 178, 408, 256},
            {"truck", 0.760, 651, 42, 725, 99},
            {"person", 0.737, 223, 60, 238, 94},
            {"person", 0.714, 518, 152, 540, 220},
            {"car", 0.602, 651, 43, 722, 100},
            {"person", 0.535, 31, 110, 48, 142},
    };

    @BeforeAll
    static void open() {
        detector = Detector.open(ModelBundle.load(TestData.model("yolox-nano")), DetectorOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        if (detector != null) detector.close();
    }

    @Test
    void frame100MatchesTheRecordedTable() {
        BgrImage f = TestData.vtestFrame(100);
        List<Detection> dets = detector.detect(f.pixels(), f.width(), f.height()).detections();
        assertEquals(FRAME_100.length, dets.size(), "detections: " + dets);
        List<Detection> left = new ArrayList<>(dets);
        for (Object[] row : FRAME_100) {
            Detection best = null;
            for (Detection d : left) {
                if (!d.label().equals(row[0])) continue;
                if (Math.abs(d.x1() - (int) row[2]) <= 3 && Math.abs(d.y1() - (int) row[3]) <= 3
                        && Math.abs(d.x2() - (int) row[4]) <= 3 && Math.abs(d.y2() - (int) row[5]) <= 3) {
                    best = d;
                    break;
                }
            }
            assertTrue(best != null, "no detection matches " + java.util.Arrays.toString(row) + " in " + dets);
            assertEquals((double) row[1], best.score(), 0.02, "score of " + java.util.Arrays.toString(row));
            left.remove(best);
        }
    }

    @Test
    void frames0And300HaveTheRecordedPersonScores() {
        assertPersonScores(0, new double[] {0.849, 0.814, 0.761, 0.531});
        assertPersonScores(300, new double[] {0.841, 0.768, 0.764, 0.759, 0.751, 0.714, 0.553, 0.340});
    }

    private static void assertPersonScores(int frame, double[] expected) {
        BgrImage f = TestData.vtestFrame(frame);
        double[] got = detector.detect(f.pixels(), f.width(), f.height()).detections().stream()
                .filter(d -> d.label().equals("person")).mapToDouble(Detection::score).sorted().toArray();
        java.util.Arrays.sort(expected);
        assertEquals(expected.length, got.length, "frame " + frame + " person scores " + java.util.Arrays.toString(got));
        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 0.02, "frame " + frame);
    }

    @Test
    void cudaRequestFallsBackToCpuAndStillDetects() {
        try (Detector d = Detector.open(ModelBundle.load(TestData.model("yolox-nano")),
                DetectorOptions.defaults().withProvider(ExecutionProvider.parse("cuda:0")).withThreads(1))) {
            assertEquals(ExecutionProvider.CPU, d.provider());
            BgrImage f = TestData.vtestFrame(100);
            assertEquals(FRAME_100.length, d.detect(f.pixels(), f.width(), f.height()).detections().size());
        }
    }
}
