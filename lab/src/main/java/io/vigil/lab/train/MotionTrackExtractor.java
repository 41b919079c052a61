package io.vigil.lab.train;

import io.vigil.models.detect.Detection;
import io.vigil.models.detect.Detector;
import io.vigil.spatiotemporal.track.ByteTracker;
import io.vigil.spatiotemporal.track.TrackedBox;
import io.vigil.lab.train.MotionTracks;
import io.vigil.video.image.BgrImage;
import io.vigil.video.source.SourceSpec;
import io.vigil.video.source.VideoSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Real tracks from real video, without labels: Vigil's detector and tracker (ByteTrack with the job's defaults) on
 * every frame of a clip; each confirmed track's boxes on consecutive frames become one {@link MotionTracks.Track} (a
 * frame where the track was not matched ends the piece; pieces shorter than {@code minLength} are dropped).
 */
public final class MotionTrackExtractor {
    private MotionTrackExtractor() {}

    /** A piece being collected: the frame of its first box and its boxes. */
    private static final class Piece {
        final int start;
        final List<float[]> boxes = new ArrayList<>();

        Piece(int start) {
            this.start = start;
        }
    }

    /**
     * @param maxFrames stop after this many frames (0 = the whole clip)
     * @throws io.vigil.video.source.VideoSourceException naming the video when it cannot be opened or read
     */
    public static List<MotionTracks.Track> extract(Path video, Detector detector, int minLength, int maxFrames) {
        String clip = video.getFileName().toString();
        List<MotionTracks.Track> out = new ArrayList<>();
        ByteTracker tracker = new ByteTracker(ByteTracker.Config.defaults());
        Map<Long, Piece> open = new HashMap<>();
        try (VideoSource v = VideoSource.open(SourceSpec.parse(video.toString()), 5_000_000)) {
            int w = v.width(), h = v.height();
            int frame = 0;
            while ((maxFrames <= 0 || frame < maxFrames) && v.next()) {
                BgrImage img = v.copyBgr();
                List<Detection> dets = detector.detect(img.pixels(), img.width(), img.height()).detections();
                int n = dets.size();
                float[][] boxes = new float[n][];
                float[] scores = new float[n];
                int[] classes = new int[n];
                for (int i = 0; i < n; i++) {
                    Detection d = dets.get(i);
                    boxes[i] = new float[] {d.x1(), d.y1(), d.x2(), d.y2()};
                    scores[i] = d.score();
                    classes[i] = d.classId();
                }
                Map<Long, float[]> seen = new HashMap<>();
                for (TrackedBox b : tracker.update(boxes, scores, classes)) if (b.trackId() >= 0) seen.put(b.trackId(), boxes[b.detection()]);
                for (Iterator<Map.Entry<Long, Piece>> it = open.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, Piece> e = it.next();
                    if (!seen.containsKey(e.getKey())) {
                        close(clip, w, h, e.getKey(), e.getValue(), minLength, out);
                        it.remove();
                    }
                }
                for (Map.Entry<Long, float[]> e : seen.entrySet()) open.computeIfAbsent(e.getKey(), k -> new Piece(fr(v))).boxes.add(e.getValue());
                frame++;
            }
            for (Map.Entry<Long, Piece> e : open.entrySet()) close(clip, w, h, e.getKey(), e.getValue(), minLength, out);
        }
        out.sort((a, b) -> a.startFrame() != b.startFrame() ? Integer.compare(a.startFrame(), b.startFrame()) : Long.compare(a.id(), b.id()));
        return out;
    }

    private static int fr(VideoSource v) {
        return (int) v.index();
    }

    private static void close(String clip, int w, int h, long id, Piece p, int minLength, List<MotionTracks.Track> out) {
        if (p.boxes.size() >= minLength) out.add(new MotionTracks.Track(clip, w, h, id, p.start, p.boxes.toArray(float[][]::new)));
    }

    /** The tracks, or a clear error when the videos gave none long enough to learn from. */
    public static List<MotionTracks.Track> requireTracks(List<MotionTracks.Track> tracks, List<Path> videos, int minLength) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no confirmed tracks of at least " + minLength + " frames in " + videos.stream().map(p -> p.getFileName().toString()).toList()
                    + ": nothing to learn from (a video with moving people or vehicles is needed)");
        }
        return tracks;
    }
}
