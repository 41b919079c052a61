package io.vigil.flink.event;

import io.vigil.events.ActionEvent;
import io.vigil.events.AnalyticsEvent;
import io.vigil.events.DeadLetter;

import org.apache.flink.util.OutputTag;

/** The job's side outputs: every stage that emits actions or dead letters uses these tags, and the job routes them to their sinks. */
public final class SideOutputs {
    /** Action labels (per track or per camera), published on {@code vigil.actions}. */
    public static final OutputTag<ActionEvent> ACTIONS = new OutputTag<>("actions") { };
    /** Frames the job could not process, published on {@code vigil.deadletter}. */
    public static final OutputTag<DeadLetter> DEADLETTER = new OutputTag<>("deadletter") { };
    /** Zone, line, loitering and speeding events, published on {@code vigil.analytics}. */
    public static final OutputTag<AnalyticsEvent> ANALYTICS = new OutputTag<>("analytics") { };

    private SideOutputs() {}
}
