package io.vigil.spatiotemporal.scan;

import java.util.Locale;

/** Renders a plan as text: for each direction, its grid with the step at which each cell is visited. */
public final class ScanPrinter {
    private ScanPrinter() {}

    public static String render(ScanPlan plan) {
        StringBuilder sb = new StringBuilder();
        boolean many = plan.directions().size() > 1;
        for (int i = 0; i < plan.directions().size(); i++) {
            ScanDirection d = plan.directions().get(i);
            if (many || d.scale() > 1) {
                if (sb.length() > 0) sb.append('\n');
                sb.append(String.format(Locale.ROOT, "# direction %d: %s%s%s%n", i, d.name(),
                        d.scale() > 1 ? String.format(Locale.ROOT, " (grid pooled by %d: %dx%d)", d.scale(), d.rows(), d.cols()) : "",
                        i == plan.carried() ? " (state carried across frames)" : ""));
            }
            sb.append(grid(d));
        }
        return sb.toString();
    }

    /** rows lines of cols numbers: the step (0-based) at which each cell is visited. */
    public static String grid(ScanDirection d) {
        int[] step = new int[d.order().length];
        for (int i = 0; i < step.length; i++) step[d.order()[i]] = i;
        int width = Integer.toString(step.length - 1).length();
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < d.rows(); r++) {
            for (int c = 0; c < d.cols(); c++) {
                if (c > 0) sb.append(' ');
                sb.append(String.format(Locale.ROOT, "%" + width + "d", step[r * d.cols() + c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
