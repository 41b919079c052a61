package io.vigil.spatiotemporal.scan;

import java.util.Arrays;

/**
 * One sequence through a patch grid. At {@code scale} 1, {@code order[i]} is the grid index (row·W + col) of
 * the i-th token. At scale s &gt; 1 the grid is first average-pooled into ⌈H/s⌉ x ⌈W/s⌉ cells and
 * {@code order} runs over that coarse grid; each cell's output goes back to every patch it pooled.
 *
 * @param name  e.g. {@code rows-forward}
 * @param order [tokens] a permutation of 0 .. rows·cols-1 of the (possibly coarse) grid
 * @param scale pooling factor, 1 for full resolution
 * @param rows  rows of the grid {@code order} indexes
 * @param cols  columns of that grid
 */
public record ScanDirection(String name, int[] order, int scale, int rows, int cols) {
    public ScanDirection {
        if (order.length != rows * cols) {
            throw new IllegalArgumentException(name + ": order has " + order.length + " entries for a " + rows + "x" + cols + " grid");
        }
    }

    public static ScanDirection of(String name, int[] order, int rows, int cols) {
        return new ScanDirection(name, order, 1, rows, cols);
    }

    /** The same cells visited backwards. */
    public ScanDirection reversed(String newName) {
        int[] r = new int[order.length];
        for (int i = 0; i < r.length; i++) r[i] = order[order.length - 1 - i];
        return new ScanDirection(newName, r, scale, rows, cols);
    }

    public int length() {
        return order.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanDirection d && d.name.equals(name) && Arrays.equals(d.order, order) && d.scale == scale
                && d.rows == rows && d.cols == cols;
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(order);
    }
}
