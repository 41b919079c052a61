package io.vigil.deploy.cli;

import io.vigil.spatiotemporal.scan.ScanPaths;
import io.vigil.spatiotemporal.scan.ScanPlan;
import io.vigil.spatiotemporal.scan.ScanPrinter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "scan", description = {"Show the order in which a scan path visits an H x W patch grid:",
        "H rows of W numbers, the step at which each patch is visited (one grid per direction)."})
final class ScanCommand implements Callable<Integer> {
    private static final Pattern GRID = Pattern.compile("(\\d+)x(\\d+)");

    @Option(names = "--path", description = "scan path (see --list), default ${DEFAULT-VALUE}", defaultValue = "raster")
    String path;

    @Option(names = "--grid", description = "H x W: rows x columns, default ${DEFAULT-VALUE}", defaultValue = "6x8")
    String grid;

    @Option(names = "--window", description = "window size k of the local path, default ${DEFAULT-VALUE}", defaultValue = "2")
    int window;

    @Option(names = "--step", description = "step s of the atrous path, default ${DEFAULT-VALUE}", defaultValue = "2")
    int step;

    @Option(names = "--list", description = "list the scan paths with a one-line description each")
    boolean list;

    @Override
    public Integer call() {
        if (list) {
            int w = ScanPaths.DESCRIPTIONS.keySet().stream().mapToInt(String::length).max().orElse(10);
            for (Map.Entry<String, String> e : ScanPaths.DESCRIPTIONS.entrySet()) {
                System.out.printf("%-" + w + "s  %s%n", e.getKey(), e.getValue());
            }
            return 0;
        }
        Matcher m = GRID.matcher(grid.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException("--grid must be HxW (rows x columns), e.g. 6x8; got '" + grid + "'");
        int rows = Integer.parseInt(m.group(1));
        int cols = Integer.parseInt(m.group(2));
        if (rows < 1 || cols < 1 || (long) rows * cols > 1_000_000) throw new IllegalArgumentException("--grid " + grid + " is out of range");
        ScanPlan plan = ScanPaths.create(path, rows, cols, window, step);
        System.out.print(ScanPrinter.render(plan));
        return 0;
    }
}
