package io.vigil.flink.event;

/** One record of {@code vigil.rules} as the job reads it (a Flink POJO): the rule id, its JSON or null (a delete). */
public class RuleRecord {
    /** The record key: the rule id. */
    public String id;
    /** The rule JSON, or null for a tombstone (the rule is deleted). */
    public String json;
    public String topic;
    public int partition;
    public long offset;
    /** The record's timestamp, epoch ms. */
    public long timestampMs;

    public RuleRecord() {}
}
