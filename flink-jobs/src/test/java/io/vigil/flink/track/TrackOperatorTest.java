package io.vigil.flink.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.flink.TestFrames;
import io.vigil.events.ActionEvent;
import io.vigil.flink.config.JobConfig;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.state.ResetPolicy;
import io.vigil.spatiotemporal.track.ByteTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class TrackOperatorTest {
    /** Frame f of a camera: a walker moving right 6 px a frame and a person standing still. */
    static DetectedFrame frame(String camera, long f) {
        DetectionEvent e = new DetectionEvent();
        e.camera = camera;
        e.frame = f;
        e.tsMicros = 1_700_000_000_000_000L + f * 100_000; // 10 fps
        e.width = 768;
        e.height = 576;
        e.model = "m";
        e.objects = new DetectedObject[] {obj(100 + 6 * f, 200, 0.9f), obj(600, 150, 0.8f)};
        return new DetectedFrame(e, null);
    }

    static DetectedObject obj(double cx, double cy, float score) {
        DetectedObject o = new DetectedObject();
        o.label = "person";
        o.classId = 0;
        o.score = score;
        o.box = new float[] {(float) cx - 15, (float) cy - 40, (float) cx + 15, (float) cy + 40};
        o.boxNorm = new float[] {o.box[0] / 768, o.box[1] / 576, o.box[2] / 768, o.box[3] / 576};
        return o;
    }

    static final JobConfig.Actions NO_ACTIONS = new JobConfig.Actions(null, 10, 0.5f);

    static JobConfig.Actions actions(String model) {
        return NO_ACTIONS.withModel(model);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectedFrame> harness(JobConfig.Actions a) throws Exception {
        return harness(a, null);
    }

    /** @param motionModel the SSM motion model's file, null for the Kalman filter */
    static KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectedFrame> harness(JobConfig.Actions a, String motionModel) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TrackOperator(ResetPolicy.DEFAULTS, ByteTracker.Config.defaults(), a, motionModel),
                DetectedFrame::camera, Types.STRING);
    }

    /** A harness restored from {@code snap}, open. */
    static KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectedFrame> restored(JobConfig.Actions a, OperatorSubtaskState snap)
            throws Exception {
        return restored(a, null, snap);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectedFrame> restored(JobConfig.Actions a, String motionModel,
                                                                                           OperatorSubtaskState snap) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectedFrame>(
                new KeyedProcessOperator<>(new TrackOperator(ResetPolicy.DEFAULTS, ByteTracker.Config.defaults(), a, motionModel)), DetectedFrame::camera,
                Types.STRING);
        h.setup();
        h.initializeState(snap);
        h.open();
        return h;
    }

    static List<DetectionEvent> events(KeyedOneInputStreamOperatorTestHarness<String, DetectedFrame, DetectedFrame> h) {
        return h.extractOutputValues().stream().map(f -> f.event).toList();
    }

    @Test
    void stableTrackIdsVelocitiesAndKeyedState() throws Exception {
        try (var h = harness(NO_ACTIONS)) {
            for (long f = 0; f < 20; f++) {
                h.processElement(new StreamRecord<>(frame("a", f), f));
                h.processElement(new StreamRecord<>(frame("b", f), f));
            }
            List<DetectionEvent> out = events(h);
            assertEquals(40, out.size());
            DetectionEvent last = out.get(out.size() - 2);
            assertEquals("a", last.camera);
            long walker = last.objects[0].track;
            long still = last.objects[1].track;
            assertTrue(walker > 0 && still > 0 && walker != still);
            for (DetectionEvent e : out) if (e.camera.equals("a")) assertEquals(walker, e.objects[0].track, "frame " + e.frame);
            assertEquals(60, last.objects[0].velocity[0], 3, "6 px a frame at 10 fps = 60 px/s");
            assertEquals(0, last.objects[1].velocity[0], 3);
            assertEquals(6, h.numKeyedStateEntries(), "tracker, seq and ts for each of the 2 cameras (no action model: no windows)");
        }
    }

    @Test
    void framesTheDetectorSkippedCarryTheTracksPredictedBoxes() throws Exception {
        try (var h = harness(NO_ACTIONS)) {
            for (long f = 0; f < 30; f++) {
                DetectedFrame d = frame("a", f);
                if (f >= 10 && f % 3 != 0) {
                    // the detector did not run: no objects, the reason why
                    d.event.objects = new DetectedObject[0];
                    d.event.inference = DetectionEvent.INTERVAL;
                }
                h.processElement(new StreamRecord<>(d, f));
            }
            List<DetectionEvent> out = events(h);
            long walker = out.get(9).objects[0].track;
            for (DetectionEvent e : out.subList(10, 30)) {
                DetectedObject w = java.util.Arrays.stream(e.objects).filter(o -> o.track == walker).findFirst().orElseThrow(() -> new AssertionError("frame " + e.frame));
                double cx = (w.box[0] + w.box[2]) / 2;
                assertEquals(100 + 6 * e.frame, cx, 3, "frame " + e.frame + ": the walker where he really is");
                assertEquals(!e.detected(), w.predicted, "predicted exactly on skipped frames, frame " + e.frame);
                assertEquals("person", w.label);
                assertEquals(2, e.objects.length, "both people on every frame");
            }
            assertEquals(walker, out.get(29).objects[0].track, "the same id after 20 frames with one detection in three");
        }
    }

    @Test
    void duplicatesAreDeadLetteredAndGapsResetWithAReason() throws Exception {
        try (var h = harness(NO_ACTIONS)) {
            for (long f = 0; f < 5; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            DetectedFrame replayed = frame("a", 3);
            replayed.topic = "vigil.frames";
            replayed.partition = 1;
            replayed.offset = 77;
            h.processElement(new StreamRecord<>(replayed, 3)); // a replayed frame
            h.processElement(new StreamRecord<>(frame("a", 4), 4)); // a duplicate
            h.processElement(new StreamRecord<>(frame("a", 200), 200)); // frames 5..199 missing
            List<DetectionEvent> out = events(h);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 200L), out.stream().map(e -> e.frame).toList(), "no second event for a frame");
            List<DeadLetter> dl = h.getSideOutput(SideOutputs.DEADLETTER).stream().map(StreamRecord::getValue).toList();
            assertEquals(2, dl.size());
            assertEquals(3, dl.get(0).frame);
            assertEquals(77, dl.get(0).offset);
            assertTrue(dl.get(0).reason.contains("not above the camera's last seq 4"), dl.get(0).reason);
            DetectionEvent afterGap = out.get(5);
            assertNotNull(afterGap.reset);
            assertTrue(afterGap.reset.contains("195 frames missing"), afterGap.reset);
            assertTrue(afterGap.objects[0].track > 0, "first frame after a reset starts confirmed tracks again");
        }
    }

    @Test
    void aSeqThatStartsAgainWithNewerFramesIsARestartNotAnHourOfReplays() throws Exception {
        try (var h = harness(NO_ACTIONS)) {
            for (long f = 500; f < 510; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            // the gateway lost its seq store: seq 0, 1, 2 ... captured after frame 509
            long after = frame("a", 509).event.tsMicros;
            for (long f = 0; f < 5; f++) {
                DetectedFrame d = frame("a", f);
                d.event.tsMicros = after + (f + 1) * 100_000;
                h.processElement(new StreamRecord<>(d, 600 + f));
            }
            DetectedFrame dup = frame("a", 4); // the same frame 4 again: a duplicate, still refused
            dup.event.tsMicros = after + 5 * 100_000;
            h.processElement(new StreamRecord<>(dup, 605));
            DetectedFrame old = frame("a", 2); // and a real replay (its old capture time): refused
            old.event.tsMicros = after + 3 * 100_000;
            h.processElement(new StreamRecord<>(old, 606));
            List<DetectionEvent> out = events(h);
            assertEquals(List.of(500L, 501L, 502L, 503L, 504L, 505L, 506L, 507L, 508L, 509L, 0L, 1L, 2L, 3L, 4L),
                    out.stream().map(e -> e.frame).toList(), "the restarted frames are processed, the duplicate and the replay are not");
            DetectionEvent restart = out.get(10);
            assertNotNull(restart.reset);
            assertTrue(restart.reset.contains("seq restarted: 0 after 509"), restart.reset);
            assertEquals(1, out.stream().filter(e -> e.reset != null).count(), "one reset, at the restart");
            List<DeadLetter> dl = h.getSideOutput(SideOutputs.DEADLETTER).stream().map(StreamRecord::getValue).toList();
            assertEquals(List.of(4L, 2L), dl.stream().map(d -> d.frame).toList());
        }
    }

    @Test
    void snapshotRestoreContinueEqualsUninterrupted() throws Exception {
        JobConfig.Actions s = actions(TestFrames.model("gesture-point-history") + "/point_history_classifier_lstm.onnx");
        List<String> straight = new ArrayList<>();
        try (var h = harness(s)) {
            for (long f = 0; f < 40; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            for (DetectionEvent e : events(h)) straight.add(render(e));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) straight.add(render(a.getValue()));
        }
        List<String> resumed = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = harness(s)) {
            for (long f = 0; f < 20; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            snap = h.snapshot(1, 20);
            for (DetectionEvent e : events(h)) resumed.add(render(e));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) resumed.add(render(a.getValue()));
        }
        try (var h = restored(s, snap)) {
            for (long f = 20; f < 40; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            for (DetectionEvent e : events(h)) resumed.add(render(e));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) resumed.add(render(a.getValue()));
        }
        straight.sort(null);
        resumed.sort(null);
        assertEquals(straight, resumed);
        assertTrue(straight.stream().anyMatch(x -> x.contains("Move")), "the walker is labelled Move: " + straight);
        assertTrue(straight.stream().anyMatch(x -> x.contains("Stop")), "the standing person is labelled Stop");
    }

    /** Vigil's trained streaming trajectory model, committed in the project (models/trained/trajectory-mamba). */
    static String trajectoryModel() {
        java.nio.file.Path p = java.nio.file.Path.of("..", "models", "trained", "trajectory-mamba").toAbsolutePath().normalize();
        if (!java.nio.file.Files.isRegularFile(p.resolve("model.safetensors"))) throw new IllegalStateException("missing " + p);
        return p.toString();
    }

    @Test
    void trajectoryModelStepsEachTrackFromItsStateAcrossSnapshotRestore() throws Exception {
        JobConfig.Actions s = actions(trajectoryModel());
        List<String> straight = new ArrayList<>();
        try (var h = harness(s)) {
            for (long f = 0; f < 40; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) straight.add(render(a.getValue()));
            assertTrue(h.getSideOutput(SideOutputs.ACTIONS).stream().allMatch(a -> a.getValue().model.startsWith("trajectory-mamba@sha256:")));
        }
        List<String> resumed = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = harness(s)) {
            for (long f = 0; f < 20; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            snap = h.snapshot(1, 20);
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) resumed.add(render(a.getValue()));
        }
        try (var h = restored(s, snap)) {
            for (long f = 20; f < 40; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) resumed.add(render(a.getValue()));
        }
        straight.sort(null);
        resumed.sort(null);
        assertEquals(straight, resumed, "the tracks' model states were restored");
        // one label per confirmed track per frame from its second point on: no 16-point window to fill first
        assertTrue(straight.size() >= 2 * 30, "labels from early on: " + straight.size());
        assertTrue(straight.stream().anyMatch(x -> x.endsWith("Move 1.0")), "the walker is labelled Move: " + straight);
        assertTrue(straight.stream().anyMatch(x -> x.endsWith("Stop 1.0")), "the standing person is labelled Stop: " + straight);
    }

    /**
     * {@code state/track-operator-bytes-state.snapshot} was taken from the Track operator as it was before its state was
     * typed (commit 5758e48: tracker and windows as {@code byte[]} keyed state), on cameras a and b after frames 0..24
     * with the gesture LSTM. Restored into today's operator, frames 25..39 give the same ids, velocities and labels as an
     * uninterrupted run of today's operator.
     */
    @Test
    void restoresTheByteStateOfTheReleaseBeforeTypedState() throws Exception {
        JobConfig.Actions s = actions(TestFrames.model("gesture-point-history") + "/point_history_classifier_lstm.onnx");
        List<String> straight = new ArrayList<>();
        try (var h = harness(s)) {
            for (long f = 0; f < 40; f++) {
                h.processElement(new StreamRecord<>(frame("a", f), f));
                h.processElement(new StreamRecord<>(frame("b", f), f));
            }
            for (DetectionEvent e : events(h)) if (e.frame >= 25) straight.add(render(e));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) if (a.getValue().frame >= 25) straight.add(render(a.getValue()));
        }
        String file = Path.of(TrackOperatorTest.class.getResource("/state/track-operator-bytes-state.snapshot").toURI()).toString();
        List<String> resumed = new ArrayList<>();
        try (var h = restored(s, OperatorSnapshotUtil.readStateHandle(file))) {
            for (long f = 25; f < 40; f++) {
                h.processElement(new StreamRecord<>(frame("a", f), f));
                h.processElement(new StreamRecord<>(frame("b", f), f));
            }
            for (DetectionEvent e : events(h)) resumed.add(render(e));
            for (StreamRecord<ActionEvent> a : h.getSideOutput(SideOutputs.ACTIONS)) resumed.add(render(a.getValue()));
            assertTrue(events(h).get(0).objects[0].track > 0 && events(h).get(0).reset == null, "tracks continue, no reset");
        }
        straight.sort(null);
        resumed.sort(null);
        assertTrue(straight.stream().anyMatch(x -> x.startsWith("A ")), "labels in the compared frames");
        assertEquals(straight, resumed);
    }

    /** Vigil's trained motion model, committed in the project (models/trained/motion-mamba). */
    static String motionModel() {
        Path p = Path.of("..", "models", "trained", "motion-mamba", "model.safetensors").toAbsolutePath().normalize();
        if (!java.nio.file.Files.isRegularFile(p)) throw new IllegalStateException("missing " + p);
        return p.toString();
    }

    /** Frame f of a camera, the detector running from frame 10 on only on every third frame. */
    static DetectedFrame everyThird(String camera, long f) {
        DetectedFrame d = frame(camera, f);
        if (f >= 10 && f % 3 != 0) {
            d.event.objects = new DetectedObject[0];
            d.event.inference = DetectionEvent.INTERVAL;
        }
        return d;
    }

    @Test
    void theSsmPredictorFollowsTracksThroughSkippedFramesAndItsStatesSurviveSnapshotRestore() throws Exception {
        String ssm = motionModel();
        List<String> straight = new ArrayList<>();
        List<String> kalman = new ArrayList<>();
        try (var h = harness(NO_ACTIONS, ssm); var k = harness(NO_ACTIONS)) {
            for (long f = 0; f < 40; f++) {
                h.processElement(new StreamRecord<>(everyThird("a", f), f));
                k.processElement(new StreamRecord<>(everyThird("a", f), f));
            }
            List<DetectionEvent> out = events(h);
            long walker = out.get(9).objects[0].track;
            for (DetectionEvent e : out.subList(10, 40)) {
                DetectedObject w = java.util.Arrays.stream(e.objects).filter(o -> o.track == walker).findFirst()
                        .orElseThrow(() -> new AssertionError("frame " + e.frame + ": the walker keeps his id"));
                assertEquals(100 + 6 * e.frame, (w.box[0] + w.box[2]) / 2, 6, "frame " + e.frame + ": the walker where he really is");
                assertEquals(!e.detected(), w.predicted, "frame " + e.frame);
            }
            for (DetectionEvent e : out) straight.add(renderBoxes(e));
            for (DetectionEvent e : events(k)) kalman.add(renderBoxes(e));
        }
        org.junit.jupiter.api.Assertions.assertNotEquals(kalman, straight, "the selective scan predicts, not the Kalman filter");
        List<String> resumed = new ArrayList<>();
        OperatorSubtaskState snap;
        try (var h = harness(NO_ACTIONS, ssm)) {
            for (long f = 0; f < 20; f++) h.processElement(new StreamRecord<>(everyThird("a", f), f));
            snap = h.snapshot(1, 20); // after frame 19, a skipped frame: the tracks between detector runs
            for (DetectionEvent e : events(h)) resumed.add(renderBoxes(e));
        }
        try (var h = restored(NO_ACTIONS, ssm, snap)) {
            for (long f = 20; f < 40; f++) h.processElement(new StreamRecord<>(everyThird("a", f), f));
            for (DetectionEvent e : events(h)) resumed.add(renderBoxes(e));
        }
        assertEquals(straight, resumed, "snapshot -> restore -> continue: the same ids, boxes and velocities as without the restore");
    }

    @Test
    void aKalmanCheckpointRestoresIntoTheSsmPredictorWithTheSameIdentities() throws Exception {
        OperatorSubtaskState snap;
        long walker;
        try (var h = harness(NO_ACTIONS)) {
            for (long f = 0; f < 20; f++) h.processElement(new StreamRecord<>(frame("a", f), f));
            snap = h.snapshot(1, 20);
            walker = events(h).get(19).objects[0].track;
        }
        try (var h = restored(NO_ACTIONS, motionModel(), snap)) {
            for (long f = 20; f < 40; f++) h.processElement(new StreamRecord<>(everyThird("a", f), f));
            for (DetectionEvent e : events(h)) {
                assertEquals(null, e.reset, "no reset");
                assertTrue(java.util.Arrays.stream(e.objects).anyMatch(o -> o.track == walker), "frame " + e.frame + ": the walker's id from the checkpoint");
            }
        }
    }

    /**
     * {@code state/track-operator-kalman-v1.snapshot} was taken from the Track operator of the release before the SSM
     * predictor (commit 0d3202d: tracker bytes version 1, Kalman only) on cameras a and b after frames 0..24. Restored
     * into today's operator it continues exactly as an uninterrupted run with the Kalman filter, and with the SSM
     * predictor it keeps every identity.
     */
    @Test
    void restoresTheTrackerOfTheReleaseBeforeTheSsmPredictor() throws Exception {
        List<String> straight = new ArrayList<>();
        try (var h = harness(NO_ACTIONS)) {
            for (long f = 0; f < 40; f++) {
                h.processElement(new StreamRecord<>(frame("a", f), f));
                h.processElement(new StreamRecord<>(frame("b", f), f));
            }
            for (DetectionEvent e : events(h)) if (e.frame >= 25) straight.add(renderBoxes(e));
        }
        String file = Path.of(TrackOperatorTest.class.getResource("/state/track-operator-kalman-v1.snapshot").toURI()).toString();
        List<String> resumed = new ArrayList<>();
        try (var h = restored(NO_ACTIONS, OperatorSnapshotUtil.readStateHandle(file))) {
            for (long f = 25; f < 40; f++) {
                h.processElement(new StreamRecord<>(frame("a", f), f));
                h.processElement(new StreamRecord<>(frame("b", f), f));
            }
            for (DetectionEvent e : events(h)) resumed.add(renderBoxes(e));
        }
        straight.sort(null);
        resumed.sort(null);
        assertEquals(straight, resumed, "Kalman: as if never stopped");
        try (var h = restored(NO_ACTIONS, motionModel(), OperatorSnapshotUtil.readStateHandle(file))) {
            for (long f = 25; f < 40; f++) {
                h.processElement(new StreamRecord<>(everyThird("a", f), f));
                h.processElement(new StreamRecord<>(everyThird("b", f), f));
            }
            List<String> ids = new ArrayList<>();
            for (DetectionEvent e : events(h)) {
                assertEquals(null, e.reset, "no reset");
                ids.add(e.camera + " " + java.util.Arrays.stream(e.objects).map(o -> o.track).sorted().toList());
            }
            for (String x : straight) {
                String id = x.split(" ")[1] + " " + java.util.Arrays.stream(x.split(" ")).skip(3).filter(t -> t.matches("\\d+:.*"))
                        .map(t -> Long.parseLong(t.substring(0, t.indexOf(':')))).sorted().toList();
                assertTrue(ids.contains(id), "SSM: the checkpoint's identities go on (" + id + " in " + ids + ")");
            }
        }
    }

    @Test
    void aMissingMotionModelStopsTheJobNamingTheFile() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> {
            try (var h = harness(NO_ACTIONS, "/nonexistent/motion.safetensors")) {
                h.processElement(new StreamRecord<>(frame("a", 0), 0));
            }
        });
        String all = org.apache.flink.util.ExceptionUtils.stringifyException(e);
        assertTrue(all.contains("motion model") && all.contains("/nonexistent/motion.safetensors"), all);
    }

    private static String renderBoxes(DetectionEvent e) {
        StringBuilder sb = new StringBuilder(render(e));
        for (DetectedObject o : e.objects) sb.append(" [").append(java.util.Arrays.toString(o.box)).append(o.predicted ? " p]" : "]");
        return sb.toString();
    }

    private static String render(DetectionEvent e) {
        StringBuilder sb = new StringBuilder("D " + e.camera + " " + String.format("%05d", e.frame));
        for (DetectedObject o : e.objects) sb.append(' ').append(o.track).append(':').append(o.velocity == null ? "-" : o.velocity[0] + "," + o.velocity[1]);
        return sb.toString();
    }

    private static String render(ActionEvent a) {
        return "A " + a.camera + " " + String.format("%05d", a.frame) + " " + a.track + " " + a.labels[0] + " " + a.scores[0];
    }
}
