package io.vigil.spatiotemporal.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Labelled trajectories in the point-history CSV format: one per line, {@code class_id, x0, y0, x1, y1, ...}, every
 * point relative to the first and divided by the frame size. Bad input is refused naming the line and what is wrong:
 * ragged rows, unknown class ids, values that are not finite numbers, a class without rows.
 *
 * @param labels  class names, id = index
 * @param classOf [rows] class id of each row
 * @param points  [rows][2·P] the points, oldest first
 * @param sha256  of the data file's bytes
 */
public record TrajectoryData(List<String> labels, int[] classOf, float[][] points, String sha256) {

    public int rows() {
        return classOf.length;
    }

    public int pointsPerRow() {
        return points.length == 0 ? 0 : points[0].length / 2;
    }

    /** Class names, one per line (a UTF-8 BOM and CRLF endings are accepted). */
    public static List<String> readLabels(Path file) {
        List<String> out = new ArrayList<>();
        for (String l : lines(file)) {
            String s = l.replace("\uFEFF", "").strip();
            if (!s.isEmpty()) out.add(s);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("labels file " + file + " has no labels");
        return out;
    }

    public static TrajectoryData read(Path data, List<String> labels) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + data, e);
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).replace("\uFEFF", "").lines().toList();
        List<Integer> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (line.isEmpty()) continue;
            String where = data.getFileName() + " line " + (ln + 1);
            String[] f = line.split(",");
            if (width < 0) {
                width = f.length;
                if (width < 5 || (width - 1) % 2 != 0) {
                    throw new IllegalArgumentException(where + ": expected a class id then x,y pairs (at least 2 points), got " + f.length + " values");
                }
            } else if (f.length != width) {
                throw new IllegalArgumentException(where + ": ragged row: " + f.length + " values where the first row had " + width);
            }
            int id;
            try {
                id = Integer.parseInt(f[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": class id '" + f[0].strip() + "' is not an integer");
            }
            if (id < 0 || id >= labels.size()) {
                throw new IllegalArgumentException(where + ": unknown class id " + id + " (the labels file has " + labels.size() + ": 0.." + (labels.size() - 1) + ")");
            }
            float[] p = new float[width - 1];
            for (int i = 1; i < width; i++) {
                float v;
                try {
                    v = Float.parseFloat(f[i].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ", column " + (i + 1) + ": '" + f[i].strip() + "' is not a number");
                }
                if (!Float.isFinite(v)) throw new IllegalArgumentException(where + ", column " + (i + 1) + ": " + v + " is not a finite number");
                p[i - 1] = v;
            }
            ids.add(id);
            rows.add(p);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(data + " has no trajectories");
        int[] count = new int[labels.size()];
        for (int id : ids) count[id]++;
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 0) throw new IllegalArgumentException(data + ": class " + c + " (" + labels.get(c) + ") has no trajectories");
        }
        return new TrajectoryData(List.copyOf(labels), ids.stream().mapToInt(Integer::intValue).toArray(), rows.toArray(new float[0][]), sha256(bytes));
    }

    /** A stratified split: per class, {@code heldOutShare} of its rows (rounded) held out, chosen by the seed. */
    public Split split(double heldOutShare, long seed) {
        Random rnd = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < classOf.length; i++) if (classOf[i] == c) mine.add(i);
            Collections.shuffle(mine, rnd);
            int h = (int) Math.round(mine.size() * heldOutShare);
            held.addAll(mine.subList(0, h));
            train.addAll(mine.subList(h, mine.size()));
        }
        Collections.sort(train);
        Collections.sort(held);
        return new Split(train.stream().mapToInt(Integer::intValue).toArray(), held.stream().mapToInt(Integer::intValue).toArray());
    }

    public record Split(int[] train, int[] heldOut) {}

    /** [P-1][2]: each point's displacement since the previous one. */
    public float[] displacements(int row) {
        float[] p = points[row];
        int n = p.length / 2;
        float[] d = new float[(n - 1) * 2];
        for (int k = 1; k < n; k++) {
            d[2 * (k - 1)] = p[2 * k] - p[2 * (k - 1)];
            d[2 * (k - 1) + 1] = p[2 * k + 1] - p[2 * (k - 1) + 1];
        }
        return d;
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
