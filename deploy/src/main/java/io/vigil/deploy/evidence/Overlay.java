package io.vigil.deploy.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.events.rules.Rule;
import io.vigil.video.image.BgrImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;

/** Draws a frame's detections (boxes, labels, track ids) and the camera's rules (lines with their direction, zones). */
public final class Overlay {
    private Overlay() {}

    /** The frame as a BGR BufferedImage (a copy). */
    public static BufferedImage image(BgrImage frame) {
        BufferedImage img = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(frame.pixels(), 0, dst, 0, dst.length);
        return img;
    }

    /** The image's pixels back as a BgrImage. */
    public static BgrImage pixels(BufferedImage img) {
        return new BgrImage(img.getWidth(), img.getHeight(), ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone());
    }

    /** Draws onto {@code img}: {@code detections} (a vigil.detections event, or null) and {@code rules}. */
    public static void draw(BufferedImage img, JsonNode detections, List<Rule> rules) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = img.getWidth(), h = img.getHeight();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(11, h / 45)));
        g.setStroke(new BasicStroke(Math.max(2f, h / 300f)));
        for (Rule r : rules) {
            double[][] p = r.points();
            switch (r.kind()) {
                case LINE -> {
                    g.setColor(new Color(255, 200, 0));
                    int ax = (int) (p[0][0] * w), ay = (int) (p[0][1] * h), bx = (int) (p[1][0] * w), by = (int) (p[1][1] * h);
                    g.drawLine(ax, ay, bx, by);
                    // the "in" side: the right of A->B (y down), marked by a short arrow from the middle
                    double dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy);
                    int mx = (ax + bx) / 2, my = (ay + by) / 2;
                    int nx = (int) (mx - dy / len * 20), ny = (int) (my + dx / len * 20);
                    g.drawLine(mx, my, nx, ny);
                    g.drawString("in", (int) (mx - dy / len * 24) - (dy > 0 ? g.getFontMetrics().stringWidth("in") : 0), (int) (my + dx / len * 24) + 5);
                    label(g, r.name(), ax + 4, ay - 4);
                }
                case ZONE -> {
                    g.setColor(new Color(0, 200, 255));
                    int[] xs = new int[p.length], ys = new int[p.length];
                    for (int i = 0; i < p.length; i++) {
                        xs[i] = (int) (p[i][0] * w);
                        ys[i] = (int) (p[i][1] * h);
                    }
                    g.drawPolygon(xs, ys, p.length);
                    label(g, r.name(), xs[0] + 3, ys[0] + g.getFont().getSize() + 2);
                }
                case CALIBRATION -> { }
            }
        }
        if (detections != null) {
            for (JsonNode o : detections.path("objects")) {
                JsonNode b = o.path("box");
                int x1 = b.get(0).asInt(), y1 = b.get(1).asInt(), x2 = b.get(2).asInt(), y2 = b.get(3).asInt();
                g.setColor(o.has("track") ? new Color(0, 230, 0) : new Color(200, 200, 200));
                g.drawRect(x1, y1, x2 - x1, y2 - y1);
                String text = o.path("label").asText() + (o.has("track") ? " #" + o.path("track").asLong() : "")
                        + (o.hasNonNull("speed") ? String.format(java.util.Locale.ROOT, " %.1f %s", o.path("speed").asDouble(), o.path("speedUnit").asText()) : "");
                label(g, text, x1, Math.max(g.getFont().getSize(), y1 - 3));
            }
        }
        g.dispose();
    }

    /** Text in the current colour on a dark box, readable over any frame. */
    private static void label(Graphics2D g, String text, int x, int baseline) {
        java.awt.FontMetrics m = g.getFontMetrics();
        Color c = g.getColor();
        g.setColor(new Color(0, 0, 0, 160));
        g.fillRect(x - 1, baseline - m.getAscent(), m.stringWidth(text) + 2, m.getAscent() + m.getDescent());
        g.setColor(c);
        g.drawString(text, x, baseline);
    }
}
