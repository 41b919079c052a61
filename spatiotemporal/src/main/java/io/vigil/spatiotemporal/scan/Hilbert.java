package io.vigil.spatiotemporal.scan;

/**
 * A generalised Hilbert curve over any W x H rectangle (the "gilbert" construction): the rectangle is split
 * recursively along its longer side into halves (or into three parts, turning, when it is not much longer
 * than wide), with halves kept even where possible so the curve stays continuous. Consecutive cells are
 * 4-neighbours, except for at most one diagonal step when one side is odd and the other even.
 */
final class Hilbert {
    private Hilbert() {}

    /** Grid indices (row·cols + col) in curve order. */
    static int[] order(int rows, int cols) {
        int[] out = new int[rows * cols];
        int[] n = {0};
        if (cols >= rows) walk(0, 0, cols, 0, 0, rows, cols, out, n);
        else walk(0, 0, 0, rows, cols, 0, cols, out, n);
        return out;
    }

    /**
     * Fills the rectangle at (x, y) spanned by the major axis (ax, ay) and the minor axis (bx, by); x is the
     * column, y the row.
     */
    private static void walk(int x, int y, int ax, int ay, int bx, int by, int cols, int[] out, int[] n) {
        int w = Math.abs(ax + ay);
        int h = Math.abs(bx + by);
        int dax = Integer.signum(ax), day = Integer.signum(ay);
        int dbx = Integer.signum(bx), dby = Integer.signum(by);
        if (h == 1) {
            for (int i = 0; i < w; i++) {
                out[n[0]++] = y * cols + x;
                x += dax;
                y += day;
            }
            return;
        }
        if (w == 1) {
            for (int i = 0; i < h; i++) {
                out[n[0]++] = y * cols + x;
                x += dbx;
                y += dby;
            }
            return;
        }
        int ax2 = Math.floorDiv(ax, 2), ay2 = Math.floorDiv(ay, 2);
        int bx2 = Math.floorDiv(bx, 2), by2 = Math.floorDiv(by, 2);
        int w2 = Math.abs(ax2 + ay2);
        int h2 = Math.abs(bx2 + by2);
        if (2 * w > 3 * h) {
            // long rectangle: two halves along the major axis, the first one made even
            if (w2 % 2 != 0 && w > 2) {
                ax2 += dax;
                ay2 += day;
            }
            walk(x, y, ax2, ay2, bx, by, cols, out, n);
            walk(x + ax2, y + ay2, ax - ax2, ay - ay2, bx, by, cols, out, n);
        } else {
            // up along the minor axis, across the far part, and back down
            if (h2 % 2 != 0 && h > 2) {
                bx2 += dbx;
                by2 += dby;
            }
            walk(x, y, bx2, by2, ax2, ay2, cols, out, n);
            walk(x + bx2, y + by2, ax, ay, bx - bx2, by - by2, cols, out, n);
            walk(x + (ax - dax) + (bx2 - dbx), y + (ay - day) + (by2 - dby), -bx2, -by2, -(ax - ax2), -(ay - ay2), cols, out, n);
        }
    }
}
