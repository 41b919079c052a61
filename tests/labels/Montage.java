import io.vigil.video.image.*;
import io.vigil.video.source.*;
import java.awt.*;
import java.awt.image.BufferedImage;
import java.nio.file.*;
import java.util.*;
import java.util.List;

/** Montage of one region at several frames: args video out x y w h from to step cols [x1 y1 x2 y2 [x3 y3 ...]] (a line or a polygon drawn). */
public class Montage {
    public static void main(String[] a) throws Exception {
        int x = Integer.parseInt(a[2]), y = Integer.parseInt(a[3]), w = Integer.parseInt(a[4]), h = Integer.parseInt(a[5]);
        int from = Integer.parseInt(a[6]), to = Integer.parseInt(a[7]), step = Integer.parseInt(a[8]), cols = Integer.parseInt(a[9]);
        List<BufferedImage> tiles = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(a[0]), 5_000_000); JpegCodec jpeg = new JpegCodec()) {
            for (int f = 0; f <= to && src.next(); f++) {
                if (f < from || (f - from) % step != 0) continue;
                BgrImage im = jpeg.decode(src.encodeJpeg(80, 0, 0).bytes());
                BufferedImage img = new BufferedImage(im.width(), im.height(), BufferedImage.TYPE_3BYTE_BGR);
                System.arraycopy(im.pixels(), 0, ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, im.pixels().length);
                tiles.add(img.getSubimage(x, y, w, h));
                idx.add(f);
            }
        }
        int rows = (tiles.size() + cols - 1) / cols;
        BufferedImage m = new BufferedImage(cols * (w + 4), rows * (h + 4), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = m.createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        for (int i = 0; i < tiles.size(); i++) {
            int cx = (i % cols) * (w + 4), cy = (i / cols) * (h + 4);
            g.drawImage(tiles.get(i), cx, cy, null);
            g.setColor(Color.YELLOW);
            g.drawString(Integer.toString(idx.get(i)), cx + 3, cy + 13);
            if (a.length > 13) {
                // a line (x1 y1 x2 y2) or a closed polygon (3+ points), in full-frame pixels
                g.setColor(Color.RED);
                int n = (a.length - 10) / 2;
                for (int k = 0; k < (n == 2 ? 1 : n); k++) {
                    int j = (k + 1) % n;
                    g.drawLine(cx + Integer.parseInt(a[10 + 2 * k]) - x, cy + Integer.parseInt(a[11 + 2 * k]) - y,
                            cx + Integer.parseInt(a[10 + 2 * j]) - x, cy + Integer.parseInt(a[11 + 2 * j]) - y);
                }
            } else {
                // a fixed grid so positions can be compared between tiles
                g.setColor(new Color(255, 255, 255, 70));
                for (int gx = 0; gx < w; gx += 20) g.drawLine(cx + gx, cy, cx + gx, cy + h);
            }
        }
        javax.imageio.ImageIO.write(m, "png", Path.of(a[1]).toFile());
    }
}
