package io.vigil.lab.bench;

import io.vigil.deploy.demo.LocalJob;
import io.vigil.deploy.kafka.EmbeddedKafka;
import io.vigil.flink.config.JobConfig;
import io.vigil.video.gateway.CameraGateway;
import io.vigil.video.gateway.KafkaFramePublisher;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code vigil bench capacity --overload-chart FILE.png}: the p99 frame age at the job's output, second by second, with
 * cameras offering several times what the detector can take: once without a frame-age limit (every frame queues for
 * the detector: the job as it was before the gate) and once with the default limit of 1 s. Drawn on a log scale.
 */
public final class OverloadChart {
    private OverloadChart() {}

    /** p99 frame age (ms) per second of the run. */
    public record Series(String name, long offered, List<Long> p99BySecond) {}

    public static List<Series> run(Path model, int cameras, int fps, int seconds, Path png) throws Exception {
        List<Series> out = new ArrayList<>();
        Path dir = Files.createTempDirectory("vigil-overload");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, true)) {
            kafka.createVigilTopics(4);
            out.add(series(kafka.bootstrap(), model, "no frame-age limit (before)", "0", cameras, fps, seconds));
            out.add(series(kafka.bootstrap(), model, "maxFrameAge 1s (default)", "1s", cameras, fps, seconds));
        }
        draw(out, cameras, fps, png);
        return out;
    }

    static Series series(String bs, Path model, String name, String limit, int cameras, int fps, int seconds) throws Exception {
        String tag = "ovl" + UUID.randomUUID().toString().substring(0, 6) + "-";
        JobConfig cfg = JobConfig.fromArgs("--bootstrap", bs, "--model", model.toAbsolutePath().toString(), "--group", tag + "job",
                "--start-from", "latest", "--checkpoint-interval", "1s", "--max-frame-age", limit, "--job-name", tag + "overload");
        Map<Integer, List<Long>> bySecond = new TreeMap<>();
        long offered;
        try (LocalJob job = LocalJob.start(cfg);
             KafkaConsumer<byte[], byte[]> c = BenchJobs.consumer(bs, tag + "leave", "read_uncommitted");
             CameraGateway gw = new CameraGateway(new KafkaFramePublisher(bs))) {
            BenchJobs.fromEnd(c);
            BenchJobs.awaitRunning(job);
            BenchJobs.startVtestCameras(gw, tag, cameras, fps);
            long start = System.currentTimeMillis();
            long end = start + seconds * 1000L;
            while (System.currentTimeMillis() < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    bySecond.computeIfAbsent((int) ((now - start) / 1000), k -> new ArrayList<>()).add(now - r.timestamp());
                }
            }
            offered = gw.publishedTotal();
        }
        List<Long> p99 = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            List<Long> a = bySecond.getOrDefault(s, List.of());
            if (a.isEmpty()) {
                p99.add(-1L);
                continue;
            }
            long[] v = a.stream().mapToLong(Long::longValue).sorted().toArray();
            p99.add(v[(int) Math.floor(0.99 * (v.length - 1))]);
        }
        System.out.printf(Locale.ROOT, "%s: %d frames offered in %d s; p99 age at 10 s %d ms, 30 s %d ms, end %d ms%n", name, offered, seconds,
                p99.get(Math.min(10, seconds - 1)), p99.get(Math.min(30, seconds - 1)), p99.get(seconds - 1));
        return new Series(name, offered, p99);
    }

    static void draw(List<Series> series, int cameras, int fps, Path png) throws Exception {
        int w = 900, h = 420, left = 70, right = 20, top = 40, bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int seconds = series.get(0).p99BySecond().size();
        double lo = 1, hi = 5; // log10 ms: 10 ms .. 100 s
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int e = 1; e <= 5; e++) {
            int y = top + (int) ((hi - e) / (hi - lo) * (h - top - bottom));
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, w - right, y);
            g.setColor(Color.DARK_GRAY);
            String label = e < 3 ? (int) Math.pow(10, e) + " ms" : (int) Math.pow(10, e - 3) + " s";
            g.drawString(label, 8, y + 4);
        }
        for (int s = 0; s <= seconds; s += 10) {
            int x = left + s * (w - left - right) / seconds;
            g.setColor(Color.DARK_GRAY);
            g.drawString(s + " s", x - 8, h - bottom + 18);
        }
        g.drawString("p99 frame age at the job's output, per second: " + cameras + " cameras x " + fps + " fps of vtest.avi into YOLOX-Nano on 2 cores",
                left, 22);
        Color[] colors = {new Color(200, 40, 40), new Color(30, 140, 60)};
        g.setStroke(new BasicStroke(2.2f));
        for (int i = 0; i < series.size(); i++) {
            g.setColor(colors[i % colors.length]);
            int px = -1, py = -1;
            for (int s = 0; s < seconds; s++) {
                long v = series.get(i).p99BySecond().get(s);
                if (v <= 0) continue;
                int x = left + s * (w - left - right) / seconds;
                double l = Math.max(lo, Math.min(hi, Math.log10(v)));
                int y = top + (int) ((hi - l) / (hi - lo) * (h - top - bottom));
                if (px >= 0) g.drawLine(px, py, x, y);
                px = x;
                py = y;
            }
            g.drawString(series.get(i).name(), left + 10, top + 18 + 16 * i);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
        System.out.println("chart -> " + png);
    }
}
