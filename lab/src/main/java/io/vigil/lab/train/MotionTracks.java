package io.vigil.lab.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Real object tracks for learning motion without labels: each is one object's box on consecutive frames of a clip,
 * as Vigil's detector and tracker saw it (the future of a track is its own training signal). Stored as CSV, one row per
 * box: {@code clip,width,height,track,frame,x1,y1,x2,y2} (pixels of a {@code width x height} frame).
 *
 * <p>The held-out split is by time, per clip: boxes on the clip's first {@code trainShare} of its frames train, the rest
 * test; a track crossing the boundary is cut there, so nothing of the test period is ever trained on, and pieces
 * shorter than the minimum length are dropped.
 */
public final class MotionTracks {
    /** One object's boxes on consecutive frames. */
    public record Track(String clip, int width, int height, long id, int startFrame, float[][] boxes /* [n][4] x1, y1, x2, y2 */) {
        public int length() {
            return boxes.length;
        }

        public int endFrame() {
            return startFrame + boxes.length; // exclusive
        }

        /** The same track in the frame mirrored left to right: as likely a walk as the original (training data only). */
        public Track mirrored() {
            float[][] m = new float[boxes.length][];
            for (int i = 0; i < boxes.length; i++) m[i] = new float[] {width - boxes[i][2], boxes[i][1], width - boxes[i][0], boxes[i][3]};
            return new Track(clip + " (mirrored)", width, height, id, startFrame, m);
        }

        /** The part on frames [from, to), or null when it has fewer than minLength boxes. */
        Track cut(int from, int to, int minLength) {
            int a = Math.max(from, startFrame), b = Math.min(to, endFrame());
            if (b - a < minLength) return null;
            float[][] part = new float[b - a][];
            System.arraycopy(boxes, a - startFrame, part, 0, b - a);
            return new Track(clip, width, height, id, a, part);
        }
    }

    /** The two sides of a split; {@code boundary} is each clip's first test frame. */
    public record Split(List<Track> train, List<Track> test, Map<String, Integer> boundary) {}

    private final List<Track> tracks;

    public MotionTracks(List<Track> tracks) {
        this.tracks = List.copyOf(tracks);
    }

    public List<Track> tracks() {
        return tracks;
    }

    /** Boxes over all tracks. */
    public long boxes() {
        return tracks.stream().mapToLong(Track::length).sum();
    }

    /**
     * Splits each clip by time at {@code trainShare} of its frames (its last box's frame + 1).
     *
     * @param minLength pieces shorter than this are dropped
     */
    public Split splitByTime(double trainShare, int minLength) {
        if (!(trainShare > 0 && trainShare < 1)) throw new IllegalArgumentException("trainShare: in (0, 1), got " + trainShare);
        Map<String, Integer> frames = new LinkedHashMap<>();
        for (Track t : tracks) frames.merge(t.clip(), t.endFrame(), Math::max);
        Map<String, Integer> boundary = new LinkedHashMap<>();
        frames.forEach((clip, n) -> boundary.put(clip, (int) Math.floor(trainShare * n)));
        List<Track> train = new ArrayList<>(), test = new ArrayList<>();
        for (Track t : tracks) {
            int b = boundary.get(t.clip());
            Track a = t.cut(0, b, minLength), z = t.cut(b, Integer.MAX_VALUE, minLength);
            if (a != null) train.add(a);
            if (z != null) test.add(z);
        }
        return new Split(train, test, boundary);
    }

    public void write(Path csv) {
        StringBuilder s = new StringBuilder("clip,width,height,track,frame,x1,y1,x2,y2\n");
        for (Track t : tracks) {
            for (int i = 0; i < t.length(); i++) {
                float[] b = t.boxes()[i];
                s.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%.2f,%.2f,%.2f,%.2f%n", t.clip(), t.width(), t.height(), t.id(), t.startFrame() + i,
                        b[0], b[1], b[2], b[3]));
            }
        }
        try {
            Files.writeString(csv, s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv, e);
        }
    }

    /** Reads what {@link #write} wrote; a row that does not continue its track on the next frame starts a new piece. */
    public static MotionTracks read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read motion tracks " + csv, e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("clip,width,height,track,frame")) {
            throw new IllegalArgumentException(csv + ": not a motion tracks file (header clip,width,height,track,frame,x1,y1,x2,y2)");
        }
        List<Track> out = new ArrayList<>();
        String clip = null;
        long id = Long.MIN_VALUE;
        int w = 0, h = 0, start = 0, last = 0;
        List<float[]> boxes = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split(",");
            if (f.length != 9) throw new IllegalArgumentException(csv + " line " + (i + 1) + ": 9 fields expected, got " + f.length);
            try {
                long tid = Long.parseLong(f[3]);
                int frame = Integer.parseInt(f[4]);
                if (!f[0].equals(clip) || tid != id || frame != last + 1) {
                    if (!boxes.isEmpty()) out.add(new Track(clip, w, h, id, start, boxes.toArray(float[][]::new)));
                    boxes.clear();
                    clip = f[0];
                    w = Integer.parseInt(f[1]);
                    h = Integer.parseInt(f[2]);
                    id = tid;
                    start = frame;
                }
                last = frame;
                boxes.add(new float[] {Float.parseFloat(f[5]), Float.parseFloat(f[6]), Float.parseFloat(f[7]), Float.parseFloat(f[8])});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!boxes.isEmpty()) out.add(new Track(clip, w, h, id, start, boxes.toArray(float[][]::new)));
        return new MotionTracks(out);
    }

    /**
     * point_history.csv's finger-tip trajectories as tracks of a {@code width x height} frame: each row (a class id, then
     * 16 points relative to the first and divided by the frame size) becomes a 20 x 20 box walking along its points,
     * so only the centre moves.
     */
    public static List<Track> fromPointHistory(Path csv, int width, int height) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read point history " + csv, e);
        }
        List<Track> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split(",");
            if (f.length < 5 || (f.length - 1) % 2 != 0) throw new IllegalArgumentException(csv + " line " + (i + 1) + ": a class id and x,y pairs expected");
            int n = (f.length - 1) / 2;
            float[][] b = new float[n][];
            try {
                for (int k = 0; k < n; k++) {
                    float cx = width / 2f + Float.parseFloat(f[1 + 2 * k]) * width, cy = height / 2f + Float.parseFloat(f[2 + 2 * k]) * height;
                    b[k] = new float[] {cx - 10, cy - 10, cx + 10, cy + 10};
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + e.getMessage());
            }
            out.add(new Track(csv.getFileName().toString(), width, height, i, 0, b));
        }
        return out;
    }
}
