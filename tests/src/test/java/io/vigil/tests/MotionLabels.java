package io.vigil.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ground truth for vtest.avi's first 300 frames: where a labelled person is at each frame (box centre, pixels) and
 * whether they are moving or standing (tests/labels/README.md says how the labels were made).
 */
final class MotionLabels {
    /** A track's centre must be this close to a labelled person's to take that person's label. */
    static final double MATCH_PX = 30;

    private final Map<Integer, List<double[]>> byFrame; // frame -> [cx, cy, moving ? 1 : 0]

    private MotionLabels(Map<Integer, List<double[]>> byFrame) {
        this.byFrame = byFrame;
    }

    static MotionLabels load() throws IOException {
        Map<Integer, List<double[]>> m = new HashMap<>();
        try (InputStream in = MotionLabels.class.getResourceAsStream("/vtest-motion-labels.csv")) {
            if (in == null) throw new IOException("vtest-motion-labels.csv is not on the test classpath");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].strip().split(",");
                if (f.length < 4) continue;
                boolean moving = switch (f[3]) {
                    case "moving" -> true;
                    case "standing" -> false;
                    default -> throw new IOException("vtest-motion-labels.csv line " + (i + 1) + ": state '" + f[3] + "'");
                };
                m.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>())
                        .add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), moving ? 1 : 0});
            }
        }
        return new MotionLabels(m);
    }

    /** The state of the labelled person nearest (cx, cy) at {@code frame}, or null when none is within {@link #MATCH_PX}. */
    Boolean movingAt(int frame, double cx, double cy) {
        double best = MATCH_PX;
        Boolean state = null;
        for (double[] p : byFrame.getOrDefault(frame, List.of())) {
            double d = Math.hypot(p[0] - cx, p[1] - cy);
            if (d <= best) {
                best = d;
                state = p[2] == 1;
            }
        }
        return state;
    }

    record Score(double accuracy, double kappa, double standingRecall) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "(accuracy %.3f, kappa %.3f, standing recall %.2f)", accuracy, kappa, standingRecall);
        }
    }

    /** Accuracy, Cohen's kappa and the share of standing truths called standing, for moving (true) / standing (false). */
    static Score score(List<Boolean> truth, List<Boolean> predicted) {
        int n = truth.size();
        int ok = 0, truthMoving = 0, predMoving = 0, standing = 0, standingHit = 0;
        for (int i = 0; i < n; i++) {
            boolean t = truth.get(i), p = predicted.get(i);
            if (t == p) ok++;
            if (t) truthMoving++;
            if (p) predMoving++;
            if (!t) {
                standing++;
                if (!p) standingHit++;
            }
        }
        double po = (double) ok / n;
        double pe = ((double) truthMoving / n) * ((double) predMoving / n) + ((double) (n - truthMoving) / n) * ((double) (n - predMoving) / n);
        double kappa = pe >= 1 ? 0 : (po - pe) / (1 - pe);
        return new Score(po, kappa, standing == 0 ? Double.NaN : (double) standingHit / standing);
    }
}
