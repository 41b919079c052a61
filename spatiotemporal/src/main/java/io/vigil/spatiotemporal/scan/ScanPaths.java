package io.vigil.spatiotemporal.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Every scanning strategy of the "Mamba in Vision" survey as a {@link ScanPlan} over an H x W patch grid
 * (index = row·W + col). Direction 0 of each plan is the one whose state streaming carries across frames.
 */
public final class ScanPaths {
    /** Name -> one-line description, in the order {@code vigil scan --list} prints them. */
    public static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        DESCRIPTIONS.put("raster", "row by row, left to right (sequential scan, ViM/VMamba's base order)");
        DESCRIPTIONS.put("zigzag", "snake: left to right, then right to left on the next row, so neighbours stay adjacent");
        DESCRIPTIONS.put("diagonal", "anti-diagonals from the top-left corner, each walked top to bottom (continuous diagonal)");
        DESCRIPTIONS.put("diagonal-alt", "anti-diagonals, alternating direction on each one (JPEG-style zigzag)");
        DESCRIPTIONS.put("spiral", "from the centre outwards in a clockwise spiral");
        DESCRIPTIONS.put("radial", "rings outwards from the centre by distance, each ring by angle");
        DESCRIPTIONS.put("hilbert", "generalised Hilbert curve for any H x W: locality-preserving space-filling curve");
        DESCRIPTIONS.put("bidirectional", "raster forward + raster reversed, outputs averaged (Vision Mamba / Vim)");
        DESCRIPTIONS.put("cross-scan", "SS2D: rows and columns, each forward and reversed, 4 directions averaged (VMamba)");
        DESCRIPTIONS.put("omnidirectional", "8 directions: the 4 of cross-scan plus both diagonals each way");
        DESCRIPTIONS.put("local", "k x k windows one after another, raster inside each (LocalMamba; --window k, default 2)");
        DESCRIPTIONS.put("atrous", "skip sampling: the s x s dilated sub-grids one after another (EfficientVMamba ES2D; --step s, default 2)");
        DESCRIPTIONS.put("continuous", "PlainMamba continuous 2D: row snake and column snake, each both ways, averaged");
        DESCRIPTIONS.put("hierarchical", "multi-scale: raster over the grid pooled by 1, 2 and 4, outputs averaged");
        DESCRIPTIONS.put("spatiotemporal", "raster within each frame with the state carried from frame to frame (Vivim / VideoMamba)");
    }

    private ScanPaths() {}

    /** The plan named {@code path} with the default window (2) and step (2). */
    public static ScanPlan create(String path, int rows, int cols) {
        return create(path, rows, cols, 2, 2);
    }

    /**
     * @param window k of the {@code local} path
     * @param step   s of the {@code atrous} path
     */
    public static ScanPlan create(String path, int rows, int cols, int window, int step) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("grid must be at least 1x1, got " + rows + "x" + cols);
        String p = path.toLowerCase(Locale.ROOT);
        List<ScanDirection> d = new ArrayList<>();
        switch (p) {
            case "raster", "spatiotemporal" -> d.add(ScanDirection.of("rows-forward", raster(rows, cols), rows, cols));
            case "zigzag" -> d.add(ScanDirection.of("row-snake", rowSnake(rows, cols), rows, cols));
            case "diagonal" -> d.add(ScanDirection.of("anti-diagonals", antiDiagonals(rows, cols, false), rows, cols));
            case "diagonal-alt" -> d.add(ScanDirection.of("anti-diagonals-alternating", antiDiagonals(rows, cols, true), rows, cols));
            case "spiral" -> d.add(ScanDirection.of("spiral-out", spiralOut(rows, cols), rows, cols));
            case "radial" -> d.add(ScanDirection.of("radial-out", radial(rows, cols), rows, cols));
            case "hilbert" -> d.add(ScanDirection.of("hilbert", Hilbert.order(rows, cols), rows, cols));
            case "bidirectional" -> {
                ScanDirection f = ScanDirection.of("rows-forward", raster(rows, cols), rows, cols);
                d.add(f);
                d.add(f.reversed("rows-backward"));
            }
            case "cross-scan" -> crossScan(d, rows, cols);
            case "omnidirectional" -> {
                crossScan(d, rows, cols);
                ScanDirection anti = ScanDirection.of("anti-diagonals-forward", antiDiagonals(rows, cols, false), rows, cols);
                ScanDirection main = ScanDirection.of("diagonals-forward", mainDiagonals(rows, cols), rows, cols);
                d.add(anti);
                d.add(anti.reversed("anti-diagonals-backward"));
                d.add(main);
                d.add(main.reversed("diagonals-backward"));
            }
            case "local" -> {
                if (window < 1) throw new IllegalArgumentException("local: window must be >= 1, got " + window);
                d.add(ScanDirection.of("windows-" + window, localWindows(rows, cols, window), rows, cols));
            }
            case "atrous" -> {
                if (step < 1) throw new IllegalArgumentException("atrous: step must be >= 1, got " + step);
                d.add(ScanDirection.of("dilated-" + step, atrous(rows, cols, step), rows, cols));
            }
            case "continuous" -> {
                ScanDirection rs = ScanDirection.of("row-snake", rowSnake(rows, cols), rows, cols);
                ScanDirection cs = ScanDirection.of("column-snake", columnSnake(rows, cols), rows, cols);
                d.add(rs);
                d.add(rs.reversed("row-snake-backward"));
                d.add(cs);
                d.add(cs.reversed("column-snake-backward"));
            }
            case "hierarchical" -> {
                d.add(ScanDirection.of("scale-1", raster(rows, cols), rows, cols));
                for (int s = 2; s <= 4; s *= 2) {
                    if (s > Math.max(rows, cols)) break;
                    int cr = ceilDiv(rows, s);
                    int cc = ceilDiv(cols, s);
                    d.add(new ScanDirection("scale-" + s, raster(cr, cc), s, cr, cc));
                }
            }
            default -> throw new IllegalArgumentException("unknown scan path '" + path + "': one of " + DESCRIPTIONS.keySet());
        }
        return new ScanPlan(p, rows, cols, d, 0);
    }

    private static void crossScan(List<ScanDirection> d, int rows, int cols) {
        ScanDirection r = ScanDirection.of("rows-forward", raster(rows, cols), rows, cols);
        ScanDirection c = ScanDirection.of("columns-forward", columnMajor(rows, cols), rows, cols);
        d.add(r);
        d.add(r.reversed("rows-backward"));
        d.add(c);
        d.add(c.reversed("columns-backward"));
    }

    static int[] raster(int rows, int cols) {
        return IntStream.range(0, rows * cols).toArray();
    }

    static int[] columnMajor(int rows, int cols) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int c = 0; c < cols; c++) for (int r = 0; r < rows; r++) o[i++] = r * cols + c;
        return o;
    }

    static int[] rowSnake(int rows, int cols) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) o[i++] = r * cols + (r % 2 == 0 ? k : cols - 1 - k);
        }
        return o;
    }

    static int[] columnSnake(int rows, int cols) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int c = 0; c < cols; c++) {
            for (int k = 0; k < rows; k++) o[i++] = (c % 2 == 0 ? k : rows - 1 - k) * cols + c;
        }
        return o;
    }

    /** Diagonals r + c = s for s = 0 .. H+W-2, each top to bottom (or alternating). */
    static int[] antiDiagonals(int rows, int cols, boolean alternate) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int s = 0; s <= rows + cols - 2; s++) {
            int rFrom = Math.max(0, s - cols + 1);
            int rTo = Math.min(rows - 1, s);
            boolean down = !alternate || s % 2 == 0;
            for (int k = 0; k <= rTo - rFrom; k++) {
                int r = down ? rFrom + k : rTo - k;
                o[i++] = r * cols + (s - r);
            }
        }
        return o;
    }

    /** Diagonals c - r = s from the bottom-left corner to the top-right, each top to bottom. */
    static int[] mainDiagonals(int rows, int cols) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int s = -(rows - 1); s <= cols - 1; s++) {
            int rFrom = Math.max(0, -s);
            int rTo = Math.min(rows - 1, cols - 1 - s);
            for (int r = rFrom; r <= rTo; r++) o[i++] = r * cols + (r + s);
        }
        return o;
    }

    /** Clockwise spiral from the outside in, reversed: it then starts at the centre and ends at a corner. */
    static int[] spiralOut(int rows, int cols) {
        int[] in = new int[rows * cols];
        int i = 0;
        int top = 0, bottom = rows - 1, left = 0, right = cols - 1;
        while (top <= bottom && left <= right) {
            for (int c = left; c <= right; c++) in[i++] = top * cols + c;
            for (int r = top + 1; r <= bottom; r++) in[i++] = r * cols + right;
            if (top < bottom) for (int c = right - 1; c >= left; c--) in[i++] = bottom * cols + c;
            if (left < right) for (int r = bottom - 1; r > top; r--) in[i++] = r * cols + left;
            top++;
            bottom--;
            left++;
            right--;
        }
        int[] out = new int[in.length];
        for (int k = 0; k < in.length; k++) out[k] = in[in.length - 1 - k];
        return out;
    }

    /** By distance from the grid's centre, ties by angle (counter-clockwise from east), then by index. */
    static int[] radial(int rows, int cols) {
        double cy = (rows - 1) / 2.0;
        double cx = (cols - 1) / 2.0;
        return IntStream.range(0, rows * cols).boxed().sorted(Comparator
                        .comparingDouble((Integer k) -> Math.rint(1e9 * Math.hypot(k / cols - cy, k % cols - cx)) / 1e9)
                        .thenComparingDouble(k -> angle(k / cols - cy, k % cols - cx))
                        .thenComparingInt(k -> k))
                .mapToInt(Integer::intValue).toArray();
    }

    private static double angle(double dy, double dx) {
        double a = Math.atan2(-dy, dx);
        return a < 0 ? a + 2 * Math.PI : a;
    }

    static int[] localWindows(int rows, int cols, int k) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int wr = 0; wr < rows; wr += k) {
            for (int wc = 0; wc < cols; wc += k) {
                for (int r = wr; r < Math.min(rows, wr + k); r++) {
                    for (int c = wc; c < Math.min(cols, wc + k); c++) o[i++] = r * cols + c;
                }
            }
        }
        return o;
    }

    static int[] atrous(int rows, int cols, int s) {
        int[] o = new int[rows * cols];
        int i = 0;
        for (int dr = 0; dr < s; dr++) {
            for (int dc = 0; dc < s; dc++) {
                for (int r = dr; r < rows; r += s) for (int c = dc; c < cols; c += s) o[i++] = r * cols + c;
            }
        }
        return o;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
