package io.vigil.lab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotionTracksTest {
    @TempDir
    Path tmp;

    /** A box walking right by vx pixels a frame from frame start for n frames. */
    static MotionTracks.Track walker(String clip, long id, int start, int n, float vx) {
        float[][] b = new float[n][];
        for (int i = 0; i < n; i++) b[i] = new float[] {10 + vx * i, 20, 40 + vx * i, 100};
        return new MotionTracks.Track(clip, 768, 576, id, start, b);
    }

    @Test
    void aSplitByTimeCutsTracksAtTheBoundarySoNoHeldOutFrameIsTrainedOn() {
        // clip a: frames 0..99 (boundary 60); clip b: frames 0..49 (boundary 30)
        MotionTracks t = new MotionTracks(List.of(walker("a", 1, 0, 40, 2), walker("a", 2, 50, 50, 2), walker("a", 3, 55, 8, 2),
                walker("b", 1, 10, 40, 1)));
        MotionTracks.Split s = t.splitByTime(0.6, 7);
        assertEquals(60, s.boundary().get("a"));
        assertEquals(30, s.boundary().get("b"));
        for (MotionTracks.Track x : s.train()) assertTrue(x.endFrame() <= s.boundary().get(x.clip()), "train ends before the boundary: " + x);
        for (MotionTracks.Track x : s.test()) assertTrue(x.startFrame() >= s.boundary().get(x.clip()), "test starts at the boundary: " + x);
        // a1 all train; a2 cut 50..59 train / 60..99 test; a3 (55..62) cut into 5 + 3 boxes: both under 7, dropped; b1 cut 10..29 / 30..49
        assertEquals(List.of("a:1:0:40", "a:2:50:10", "b:1:10:20"), s.train().stream().map(x -> x.clip() + ":" + x.id() + ":" + x.startFrame() + ":" + x.length()).toList());
        assertEquals(List.of("a:2:60:40", "b:1:30:20"), s.test().stream().map(x -> x.clip() + ":" + x.id() + ":" + x.startFrame() + ":" + x.length()).toList());
        assertArrayEquals(new float[] {10 + 2 * 10, 20, 40 + 2 * 10, 100}, s.test().get(0).boxes()[0], "the cut keeps the boxes of its frames");
        assertThrows(IllegalArgumentException.class, () -> t.splitByTime(1.0, 7));
    }

    @Test
    void csvRoundTripAndBadFilesNamed() throws Exception {
        MotionTracks t = new MotionTracks(List.of(walker("vtest.avi", 4, 3, 12, 1.5f), walker("vtest.avi", 9, 3, 10, -1)));
        Path csv = tmp.resolve("tracks.csv");
        t.write(csv);
        MotionTracks back = MotionTracks.read(csv);
        assertEquals(2, back.tracks().size());
        assertEquals(22, back.boxes());
        assertEquals(4, back.tracks().get(0).id());
        assertEquals(3, back.tracks().get(1).startFrame());
        assertArrayEquals(t.tracks().get(0).boxes()[11], back.tracks().get(0).boxes()[11], 0.01f);
        Files.writeString(tmp.resolve("bad.csv"), "x,y\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MotionTracks.read(tmp.resolve("bad.csv"))).getMessage().contains("not a motion tracks file"));
        Files.writeString(tmp.resolve("bad2.csv"), "clip,width,height,track,frame,x1,y1,x2,y2\na,1,1,1,zero,0,0,1,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MotionTracks.read(tmp.resolve("bad2.csv"))).getMessage().contains("line 2"));
    }

    @Test
    void fingerTipTrajectoriesBecomeSmallBoxesWalkingAlongTheirPoints() throws Exception {
        Path csv = Files.writeString(tmp.resolve("point_history.csv"), "0,0,0,0.1,0.05,0.2,0.1\n3,0,0,-0.01,0,-0.02,0\n");
        List<MotionTracks.Track> t = MotionTracks.fromPointHistory(csv, 960, 540);
        assertEquals(2, t.size());
        assertEquals(3, t.get(0).length());
        assertArrayEquals(new float[] {480 + 96 - 10, 270 + 27 - 10, 480 + 96 + 10, 270 + 27 + 10}, t.get(0).boxes()[1], 1e-3f);
        Files.writeString(tmp.resolve("odd.csv"), "0,0,0,0.1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MotionTracks.fromPointHistory(tmp.resolve("odd.csv"), 960, 540)).getMessage()
                .contains("line 1"));
    }
}
