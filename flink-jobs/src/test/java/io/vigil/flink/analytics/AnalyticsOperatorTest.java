package io.vigil.flink.analytics;

import io.vigil.events.analytics.CountDelta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.events.AnalyticsEvent;
import io.vigil.events.analytics.CameraAnalyticsTest;
import io.vigil.events.DeadLetter;
import io.vigil.flink.event.DetectedFrame;
import io.vigil.flink.event.RuleRecord;
import io.vigil.flink.event.SideOutputs;
import io.vigil.flink.state.ResetPolicy;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** The analytics stage in Flink's keyed-broadcast harness: rules in, frames in, events, dead letters, snapshot/restore. */
class AnalyticsOperatorTest {
    static KeyedBroadcastOperatorTestHarness<String, DetectedFrame, RuleRecord, DetectedFrame> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AnalyticsOperator(ResetPolicy.DEFAULTS), DetectedFrame::camera,
                Types.STRING, AnalyticsOperator.RULES);
    }

    static KeyedBroadcastOperatorTestHarness<String, DetectedFrame, RuleRecord, DetectedFrame> restored(OperatorSubtaskState snap) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(new AnalyticsOperator(ResetPolicy.DEFAULTS),
                List.of(AnalyticsOperator.RULES)), DetectedFrame::camera, Types.STRING, 1, 1, 0);
        h.setup();
        h.initializeState(snap);
        h.open();
        return h;
    }

    static RuleRecord rule(String id, String json, long offset) {
        RuleRecord r = new RuleRecord();
        r.id = id;
        r.json = json;
        r.topic = "vigil.rules";
        r.offset = offset;
        return r;
    }

    /** Track 7 walking down through the door line (y 0.41 .. 0.59 in 10 frames) from frame {@code from}. */
    static DetectedFrame step(long seq, double y) {
        DetectedFrame f = new DetectedFrame(CameraAnalyticsTest.frame(seq, 7, 0.5, y), null);
        f.topic = "vigil.frames";
        f.partition = 0;
        f.offset = 1000 + seq;
        return f;
    }

    static <T> List<T> side(KeyedBroadcastOperatorTestHarness<String, DetectedFrame, RuleRecord, DetectedFrame> h, OutputTag<T> tag) {
        var q = h.getSideOutput(tag);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void rulesApplyWithoutARestartInvalidOnesAreDeadLetteredAndEverythingSurvivesARestore() throws Exception {
        OperatorSubtaskState snap;
        try (var h = harness()) {
            h.processBroadcastElement(rule("door", CameraAnalyticsTest.LINE, 1), 0);
            h.processBroadcastElement(rule("bad", "{\"id\":\"bad\",\"camera\":\"cam-1\",\"kind\":\"zone\",\"points\":[[0,0],[1,1],[1,0],[0,1]]}", 2), 0);
            for (int k = 0; k < 6; k++) h.processElement(step(k, 0.41 + 0.02 * k), k); // up to 0.51: one frame past the line
            List<DeadLetter> dead = side(h, SideOutputs.DEADLETTER);
            assertEquals(1, dead.size());
            assertEquals("cam-1", dead.get(0).camera);
            assertTrue(dead.get(0).reason.startsWith("rule 'bad': points: the polygon crosses itself"), dead.get(0).reason);
            assertEquals(2, dead.get(0).offset);
            assertTrue(side(h, SideOutputs.ANALYTICS).isEmpty(), "not yet 3 frames past the line");
            snap = h.snapshot(1, 10);
        }
        try (var h = restored(snap)) {
            for (int k = 6; k < 10; k++) h.processElement(step(k, 0.41 + 0.02 * k), k);
            List<AnalyticsEvent> a = side(h, SideOutputs.ANALYTICS);
            assertEquals(1, a.size(), "the rule and the two frames on the far side came back with the restore: " + a);
            assertEquals(io.vigil.events.AnalyticsType.LINE_CROSS, a.get(0).type);
            assertEquals("in", a.get(0).direction);
            assertEquals(7, a.get(0).frame);
            assertEquals(1007, a.get(0).frameOffset, "frameRef: the frame it happened on");
            List<CountDelta> d = side(h, AnalyticsOperator.COUNT_DELTAS);
            assertEquals(1, d.stream().mapToInt(x -> x.in).sum());
            // deleting the rule (a tombstone) stops it at once; its state goes with it
            h.processBroadcastElement(rule("door", null, 3), 0);
            for (int k = 9; k >= 0; k--) h.processElement(step(20 - k, 0.41 + 0.02 * k), 20 - k);
            assertEquals(1, side(h, SideOutputs.ANALYTICS).size(), "no crossing after the delete");
            List<DetectedFrame> out = h.extractOutputValues();
            assertEquals(14, out.size(), "every frame passes through");
            assertNull(out.get(out.size() - 1).event.objects[0].zones);
            assertTrue(Stream.of(out.get(3).event.objects).allMatch(Objects::nonNull));
        }
    }
}
