package io.vigil.lab.bench;

import io.vigil.video.image.BgrImage;
import io.vigil.video.image.JpegCodec;
import io.vigil.video.source.SampleMedia;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The clips the capacity benchmark runs on, as the gateway would publish them (JPEG quality 80): vtest.avi (people
 * everywhere, all the time), tree.avi (a tree in the wind: motion and no objects; 68 frames, looped) and a quiet clip
 * composed from vtest.avi: its empty street (the per-pixel median of 60 frames spread over the video, where nobody
 * stands long) with one real person cut from a vtest.avi frame walking across it for 5 s in every 20 s.
 */
public final class BenchClips {
    private BenchClips() {}

    /** A person in vtest.avi frame 100 (MODEL.md's boxes): x1, y1, x2, y2. */
    static final int[] PERSON = {346, 197, 379, 275};
    static final int QUIET_PERIOD = 200;
    static final int QUIET_VISIBLE = 50;

    public static List<byte[]> get(String name, int frames) throws Exception {
        return switch (name) {
            case "vtest" -> file(SampleMedia.require(SampleMedia.VTEST).toString(), frames);
            case "tree" -> file(SampleMedia.require("tree.avi").toString(), frames);
            case "quiet" -> quiet(frames);
            default -> throw new IllegalArgumentException("clip '" + name + "': vtest, tree or quiet");
        };
    }

    /** The file's frames, looped to {@code frames}. */
    static List<byte[]> file(String path, int frames) throws Exception {
        List<byte[]> one = new ArrayList<>();
        try (VideoSource src = VideoSource.open(SourceSpec.parse(path), 5_000_000)) {
            while (one.size() < frames && src.next()) one.add(src.encodeJpeg(80, 0, 0).bytes());
        }
        List<byte[]> out = new ArrayList<>(frames);
        for (int i = 0; i < frames; i++) out.add(one.get(i % one.size()));
        return out;
    }

    static List<byte[]> quiet(int frames) throws Exception {
        List<BgrImage> samples = new ArrayList<>();
        BgrImage person = null;
        try (VideoSource src = VideoSource.open(SourceSpec.parse(SampleMedia.require(SampleMedia.VTEST).toString()), 5_000_000)) {
            for (int i = 0; src.next(); i++) {
                if (i % 13 == 0 && samples.size() < 60) samples.add(src.copyBgr());
                if (i == 100) person = src.copyBgr();
            }
        }
        int w = samples.get(0).width(), h = samples.get(0).height();
        byte[] bg = new byte[w * h * 3];
        int[] v = new int[samples.size()];
        for (int p = 0; p < bg.length; p++) {
            for (int k = 0; k < samples.size(); k++) v[k] = samples.get(k).pixels()[p] & 0xff;
            Arrays.sort(v);
            bg[p] = (byte) v[v.length / 2];
        }
        int pw = PERSON[2] - PERSON[0], ph = PERSON[3] - PERSON[1];
        List<byte[]> out = new ArrayList<>(frames);
        try (JpegCodec jpeg = new JpegCodec()) {
            byte[] empty = jpeg.encode(new BgrImage(w, h, bg), 80);
            for (int f = 0; f < frames; f++) {
                int t = f % QUIET_PERIOD;
                if (t >= QUIET_VISIBLE) {
                    out.add(empty);
                    continue;
                }
                // walking left to right along the pavement, about 1 m/s
                int x0 = 120 + t * (w - 240) / QUIET_VISIBLE, y0 = 300;
                byte[] px = bg.clone();
                for (int y = 0; y < ph; y++) {
                    System.arraycopy(person.pixels(), ((PERSON[1] + y) * w + PERSON[0]) * 3, px, ((y0 + y) * w + x0) * 3, pw * 3);
                }
                out.add(jpeg.encode(new BgrImage(w, h, px), 80));
            }
        }
        return out;
    }
}
