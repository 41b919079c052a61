import io.vigil.models.bundle.ModelBundle;
import io.vigil.models.detect.*;
import io.vigil.spatiotemporal.track.*;
import io.vigil.video.image.*;
import io.vigil.video.source.*;
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.List;

public class Tracks {
    public static void main(String[] a) throws Exception {
        Path out = Path.of("/tmp/lab");
        List<BgrImage> frames = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(a[0]), 5_000_000); JpegCodec jpeg = new JpegCodec()) {
            while (frames.size() < 300 && src.next()) frames.add(jpeg.decode(src.encodeJpeg(80, 0, 0).bytes()));
        }
        ByteTracker tr = new ByteTracker(ByteTracker.Config.defaults());
        Map<Long, List<float[]>> trail = new TreeMap<>(); // id -> [frame, cx, cy, x1,y1,x2,y2]
        try (Detector d = Detector.open(ModelBundle.load(Path.of(a[1])), DetectorOptions.defaults());
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("tracks.csv")))) {
            csv.println("frame,track,x1,y1,x2,y2");
            for (int f = 0; f < frames.size(); f++) {
                BgrImage im = frames.get(f);
                List<Detection> det = d.detect(im.pixels(), im.width(), im.height()).detections().stream().filter(x -> x.classId() == 0).toList();
                float[][] boxes = new float[det.size()][];
                float[] sc = new float[det.size()];
                int[] cl = new int[det.size()];
                for (int i = 0; i < det.size(); i++) {
                    Detection x = det.get(i);
                    boxes[i] = new float[] {x.x1(), x.y1(), x.x2(), x.y2()};
                    sc[i] = x.score();
                }
                for (TrackedBox t : tr.update(boxes, sc, cl)) {
                    if (t.trackId() < 0) continue;
                    float[] b = boxes[t.detection()];
                    csv.printf(Locale.ROOT, "%d,%d,%.0f,%.0f,%.0f,%.0f%n", f, t.trackId(), b[0], b[1], b[2], b[3]);
                    trail.computeIfAbsent(t.trackId(), k -> new ArrayList<>()).add(new float[] {f, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[0], b[1], b[2], b[3]});
                }
            }
        }
        // candidate state per track-frame: centre displacement between f-8 and f+8 (its own track), px per frame
        Map<String, Double> speed = new HashMap<>();
        try (PrintWriter cand = new PrintWriter(Files.newBufferedWriter(out.resolve("candidates.csv")))) {
            cand.println("frame,track,cx,cy,speed");
            for (Map.Entry<Long, List<float[]>> e : trail.entrySet()) {
                List<float[]> l = e.getValue();
                for (float[] p : l) {
                    float[] a0 = null, b0 = null;
                    for (float[] q : l) {
                        if (q[0] >= p[0] - 8 && a0 == null) a0 = q;
                        if (q[0] <= p[0] + 8) b0 = q;
                    }
                    double v = b0[0] > a0[0] ? Math.hypot(b0[1] - a0[1], b0[2] - a0[2]) / (b0[0] - a0[0]) : Double.NaN;
                    speed.put(e.getKey() + "@" + (int) p[0], v);
                    cand.printf(Locale.ROOT, "%d,%d,%.0f,%.0f,%.2f%n", (int) p[0], e.getKey(), p[1], p[2], v);
                }
            }
        }
        int step = Integer.parseInt(a[2]);
        for (int f = Integer.parseInt(a[3]); f < frames.size(); f += step) {
            BgrImage im = frames.get(f);
            BufferedImage img = new BufferedImage(im.width(), im.height(), BufferedImage.TYPE_3BYTE_BGR);
            byte[] dst = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            System.arraycopy(im.pixels(), 0, dst, 0, dst.length);
            Graphics2D g = img.createGraphics();
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            for (Map.Entry<Long, List<float[]>> e : trail.entrySet()) {
                Double v = speed.get(e.getKey() + "@" + f);
                if (v == null) continue;
                Color c = v.isNaN() ? Color.YELLOW : v < 1.0 ? Color.RED : Color.GREEN;
                g.setColor(c);
                float[] prev = null;
                for (float[] p : e.getValue()) {
                    if (p[0] > f + 10 || p[0] < f - 10) continue;
                    if (prev != null) g.drawLine((int) prev[1], (int) prev[2], (int) p[1], (int) p[2]);
                    prev = p;
                    if (p[0] == f) {
                        g.drawRect((int) p[3], (int) p[4], (int) (p[5] - p[3]), (int) (p[6] - p[4]));
                        g.drawString(e.getKey() + String.format(Locale.ROOT, ":%.1f", v), (int) p[3], (int) p[4] - 2);
                    }
                }
            }
            g.setColor(Color.WHITE);
            g.drawString("frame " + f, 10, 20);
            // crop to the busy band of the scene to keep the sheet small
            javax.imageio.ImageIO.write(img.getSubimage(0, 40, im.width(), 380), "png", out.resolve(String.format("s%03d.png", f)).toFile());
        }
        for (Map.Entry<Long, List<float[]>> e : trail.entrySet()) {
            List<float[]> l = e.getValue();
            float[] s = l.get(0), t = l.get(l.size() - 1);
            double path = 0;
            for (int i = 1; i < l.size(); i++) path += Math.hypot(l.get(i)[1] - l.get(i - 1)[1], l.get(i)[2] - l.get(i - 1)[2]);
            System.out.printf(Locale.ROOT, "track %d frames %d-%d (%d seen) centre (%.0f,%.0f)->(%.0f,%.0f) net %.0f px path %.0f px%n", e.getKey(), (int) s[0], (int) t[0],
                    l.size(), s[1], s[2], t[1], t[2], Math.hypot(t[1] - s[1], t[2] - s[2]), path);
        }
    }
}
