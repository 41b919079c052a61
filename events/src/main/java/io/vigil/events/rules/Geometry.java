package io.vigil.events.rules;

/**
 * Plane geometry of the rules, in frame coordinates 0..1 with y down (the image's own orientation).
 *
 * <p>Side of a line A->B: the sign of the cross product (B - A) x (P - A). With y pointing down, a positive sign puts P
 * on the right of A->B as seen on screen looking from A towards B (A = (0,0), B = (1,0): P = (0.5, 1), below the line,
 * gives +1), so a line-crossing {@code in} is a change of side from -1 to +1 (DESIGN.md).
 */
public final class Geometry {
    private Geometry() {}

    /** -1 left of A->B, +1 right (on screen, y down), 0 on the line. */
    public static int side(double ax, double ay, double bx, double by, double px, double py) {
        double cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
        return cross > 0 ? 1 : cross < 0 ? -1 : 0;
    }

    /** Whether P projects onto the segment A-B (between its end points), so a crossing is on the drawn line, not its extension. */
    public static boolean withinSegment(double ax, double ay, double bx, double by, double px, double py) {
        double dx = bx - ax, dy = by - ay;
        double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        return t >= 0 && t <= 1;
    }

    /** Point in polygon by the even-odd rule (ray to +x); {@code poly} is [n][2]. Points on an edge may fall either way. */
    public static boolean contains(double[][] poly, double px, double py) {
        boolean in = false;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) {
            double xi = poly[i][0], yi = poly[i][1], xj = poly[j][0], yj = poly[j][1];
            if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) in = !in;
        }
        return in;
    }

    /** A polygon whose edges meet only at shared corners of neighbouring edges (no self-intersection), with a non-zero area. */
    public static boolean isSimple(double[][] poly) {
        int n = poly.length;
        if (n < 3 || Math.abs(area(poly)) < 1e-12) return false;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean neighbours = j == i + 1 || (i == 0 && j == n - 1);
                if (neighbours) continue;
                if (segmentsIntersect(poly[i], poly[(i + 1) % n], poly[j], poly[(j + 1) % n])) return false;
            }
        }
        return true;
    }

    /** Signed area (shoelace). */
    public static double area(double[][] poly) {
        double a = 0;
        for (int i = 0, j = poly.length - 1; i < poly.length; j = i++) a += poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
        return a / 2;
    }

    /** Closed segments p1-p2 and q1-q2 share a point. */
    static boolean segmentsIntersect(double[] p1, double[] p2, double[] q1, double[] q2) {
        int d1 = side(q1[0], q1[1], q2[0], q2[1], p1[0], p1[1]);
        int d2 = side(q1[0], q1[1], q2[0], q2[1], p2[0], p2[1]);
        int d3 = side(p1[0], p1[1], p2[0], p2[1], q1[0], q1[1]);
        int d4 = side(p1[0], p1[1], p2[0], p2[1], q2[0], q2[1]);
        if (d1 * d2 < 0 && d3 * d4 < 0) return true;
        return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2))
                || (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2));
    }

    private static boolean onSegment(double[] a, double[] b, double[] p) {
        return p[0] >= Math.min(a[0], b[0]) && p[0] <= Math.max(a[0], b[0]) && p[1] >= Math.min(a[1], b[1]) && p[1] <= Math.max(a[1], b[1]);
    }
}
