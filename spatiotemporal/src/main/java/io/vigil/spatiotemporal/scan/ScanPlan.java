package io.vigil.spatiotemporal.scan;

import java.util.List;

/**
 * How a frame's H x W patch grid becomes sequences for the selective scan: one or more directions, and how their
 * outputs merge back onto the grid (the mean over directions, per patch). Plans are data, built by
 * {@link ScanPaths}.
 *
 * <p>Streaming: the direction {@link #carried()} is the causal temporal one; its recurrent state continues from
 * the previous frame (the spatiotemporal scan of Vivim / VideoMamba: spatial order within a frame, time across
 * frames). Every other direction needs the whole frame (reverse, column, coarse) and starts from zero state in
 * each frame.
 *
 * @param path    the path's name, e.g. {@code cross-scan}
 * @param rows    H, patch rows
 * @param cols    W, patch columns
 * @param carried index of the direction whose state is carried across frames
 */
public record ScanPlan(String path, int rows, int cols, List<ScanDirection> directions, int carried) {
    public ScanPlan {
        directions = List.copyOf(directions);
        if (directions.isEmpty()) throw new IllegalArgumentException(path + ": a plan needs at least one direction");
        if (carried < 0 || carried >= directions.size()) throw new IllegalArgumentException(path + ": carried direction " + carried + " out of range");
    }

    public int tokens() {
        return rows * cols;
    }
}
