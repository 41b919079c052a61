package io.vigil.lab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
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

    /** Rows closer than this in the file may share points (each row is 16 points; a following row starts >= 1 point later). */
    public static final int PURGE_ROWS = 15;
    /** Two coordinates are the same point when they differ by less than this (the file has 9 decimals of pixel / frame size). */
    static final float SAME_POINT = 2e-5f;

    /**
     * [rows] the chain of each row: a chain is a run of consecutive rows of one class where each row is the previous
     * one shifted by exactly one point (the recorder wrote a window every frame). Chain ids count up in file order.
     */
    public int[] chains() {
        int[] chain = new int[rows()];
        for (int r = 1; r < chain.length; r++) {
            chain[r] = classOf[r] == classOf[r - 1] && shiftedByOne(points[r - 1], points[r]) ? chain[r - 1] : chain[r - 1] + 1;
        }
        return chain;
    }

    /** next == prev's points 1.. made relative to prev's point 1 (both rows are relative to their own first point). */
    static boolean shiftedByOne(float[] prev, float[] next) {
        int n = prev.length / 2;
        float x1 = prev[2], y1 = prev[3];
        for (int k = 0; k < n - 1; k++) {
            if (Math.abs(next[2 * k] - (prev[2 * k + 2] - x1)) > SAME_POINT || Math.abs(next[2 * k + 1] - (prev[2 * k + 3] - y1)) > SAME_POINT) {
                return false;
            }
        }
        return true;
    }

    /**
     * The held-out split that does not leak: per class, one contiguous block of whole chains (in file order, wrapping
     * at the class's end) holding {@code heldOutShare} of the class's rows, starting at a chain chosen by the seed; then
     * every other row within {@code purge} rows of a held-out row is dropped from training (it may share points with a
     * held-out row: chains that follow each other are often the same recording with a few frames missing).
     */
    public Split chainSplit(double heldOutShare, long seed, int purge) {
        Random rnd = new Random(seed);
        int[] chain = chains();
        boolean[] held = new boolean[rows()];
        for (int c = 0; c < labels.size(); c++) {
            List<int[]> mine = new ArrayList<>(); // [first row, last row] of each chain of class c, file order
            int classRows = 0;
            for (int r = 0; r < rows(); r++) {
                if (classOf[r] != c) continue;
                classRows++;
                if (mine.isEmpty() || chain[r] != chain[mine.get(mine.size() - 1)[1]]) mine.add(new int[] {r, r});
                else mine.get(mine.size() - 1)[1] = r;
            }
            int want = (int) Math.round(classRows * heldOutShare);
            int at = rnd.nextInt(mine.size());
            for (int taken = 0, k = 0; taken < want && k < mine.size(); k++) {
                int[] ch = mine.get((at + k) % mine.size());
                for (int r = ch[0]; r <= ch[1]; r++) held[r] = true;
                taken += ch[1] - ch[0] + 1;
            }
        }
        boolean[] near = new boolean[rows()];
        for (int r = 0; r < rows(); r++) {
            if (!held[r]) continue;
            for (int q = Math.max(0, r - purge); q <= Math.min(rows() - 1, r + purge); q++) near[q] = true;
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        List<Integer> purged = new ArrayList<>();
        for (int r = 0; r < rows(); r++) {
            if (held[r]) heldOut.add(r);
            else if (near[r]) purged.add(r);
            else train.add(r);
        }
        return new Split(ints(train), ints(heldOut), ints(purged));
    }

    /**
     * @param train   rows to train on
     * @param heldOut rows to evaluate on
     * @param purged  rows in neither: too close to a held-out row
     */
    public record Split(int[] train, int[] heldOut, int[] purged) {}

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

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

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
