package io.vigil.video.motion;

import java.util.ArrayList;
import java.util.List;

/**
 * Areas of a camera's picture whose motion does not count (a tree in the wind, a clock, a screen), written as polygons
 * in 0..1 of the frame: {@code "x,y x,y x,y;x,y x,y x,y x,y"} (polygons separated by {@code ;}), the form of the
 * {@code vigil-motion-mask} frame header.
 */
public final class MotionMask {
    private MotionMask() {}

    /** The polygons of a mask, [polygon][point][x, y]; an empty list for null or blank. */
    public static List<double[][]> parse(String spec) {
        List<double[][]> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String poly : spec.split(";")) {
            if (poly.isBlank()) continue;
            String[] pts = poly.trim().split("\\s+");
            if (pts.length < 3) throw new IllegalArgumentException("motion mask polygon '" + poly.trim() + "' has fewer than 3 points");
            double[][] p = new double[pts.length][];
            for (int i = 0; i < pts.length; i++) {
                String[] xy = pts[i].split(",");
                if (xy.length != 2) throw new IllegalArgumentException("motion mask point '" + pts[i] + "' is not x,y");
                double x, y;
                try {
                    x = Double.parseDouble(xy[0]);
                    y = Double.parseDouble(xy[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("motion mask point '" + pts[i] + "' is not two numbers");
                }
                if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) throw new IllegalArgumentException("motion mask point '" + pts[i] + "' is outside 0..1");
                p[i] = new double[] {x, y};
            }
            out.add(p);
        }
        return out;
    }

    /** The polygons written back in the header's form. */
    public static String format(List<double[][]> polygons) {
        StringBuilder sb = new StringBuilder();
        for (double[][] poly : polygons) {
            if (sb.length() > 0) sb.append(';');
            for (int i = 0; i < poly.length; i++) {
                if (i > 0) sb.append(' ');
                sb.append(poly[i][0]).append(',').append(poly[i][1]);
            }
        }
        return sb.toString();
    }

    /** [h*w] true where a pixel's centre is inside one of the polygons; null when there are none. */
    public static boolean[] rasterize(List<double[][]> polygons, int w, int h) {
        if (polygons.isEmpty()) return null;
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            double py = (y + 0.5) / h;
            for (int x = 0; x < w; x++) {
                double px = (x + 0.5) / w;
                for (double[][] poly : polygons) {
                    if (inside(poly, px, py)) {
                        out[y * w + x] = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Even-odd rule. */
    static boolean inside(double[][] poly, double x, double y) {
        boolean in = false;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            double xi = poly[i][0], yi = poly[i][1], xj = poly[j][0], yj = poly[j][1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
        }
        return in;
    }
}
