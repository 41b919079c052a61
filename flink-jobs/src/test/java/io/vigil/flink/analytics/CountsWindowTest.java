package io.vigil.flink.analytics;

import io.vigil.events.analytics.CountDelta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.events.CountsEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The count windows as the job builds them (tumbling event time, allowed lateness, late side output) in Flink's operator
 * harness: a window fires when the watermark passes it; a late frame within the lateness fires it again with the new
 * totals and {@code update: true}; a frame later than that changes nothing and goes to the late output.
 */
class CountsWindowTest {
    static final OutputTag<CountDelta> LATE = new OutputTag<>("late") { };

    static CountDelta crossing(boolean in) {
        CountDelta d = new CountDelta();
        d.camera = "cam";
        d.rule = "door";
        d.kind = "line";
        d.label = "person";
        if (in) d.in = 1;
        else d.out = 1;
        return d;
    }

    @Test
    void aWindowFiresAtTheWatermarkAndAgainForALateFrameWithinTheLateness() throws Exception {
        WindowOperatorBuilder<CountDelta, String, TimeWindow> b = new WindowOperatorBuilder<>(TumblingEventTimeWindows.of(Duration.ofSeconds(60)),
                EventTimeTrigger.create(), new ExecutionConfig(), TypeInformation.of(CountDelta.class), CountDelta::key, Types.STRING);
        b.allowedLateness(Duration.ofSeconds(10));
        b.sideOutputLateData(LATE);
        OneInputStreamOperator<CountDelta, CountsEvent> op = b.aggregate(new CountsAggregate(), new CountsWindow(),
                TypeInformation.of(CountsAggregate.Acc.class));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, CountDelta::key, Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(crossing(true), 1_000));
            h.processElement(new StreamRecord<>(crossing(true), 30_000));
            h.processElement(new StreamRecord<>(crossing(false), 59_000));
            h.processWatermark(60_000); // passes the window [0, 60 s)
            List<CountsEvent> out = h.extractOutputValues();
            assertEquals(1, out.size());
            CountsEvent first = out.get(0);
            assertEquals(List.of(0L, 60_000L, 2L, 1L), List.of(first.windowStart, first.windowEnd, first.in, first.out));
            assertFalse(first.update);

            h.processElement(new StreamRecord<>(crossing(false), 45_000)); // 15 s behind the watermark's 60 s: within 10 s of the end
            out = h.extractOutputValues();
            assertEquals(2, out.size(), "fired again");
            assertEquals(List.of(2L, 2L), List.of(out.get(1).in, out.get(1).out));
            assertTrue(out.get(1).update, "a consumer replaces the first result");

            h.processWatermark(75_000); // now past end + lateness: the window is gone
            h.processElement(new StreamRecord<>(crossing(true), 50_000));
            assertEquals(2, h.extractOutputValues().size(), "too late: no window changes");
            var late = h.getSideOutput(LATE);
            assertEquals(1, late == null ? 0 : late.size(), "too late: counted on the late output");
        }
    }
}
