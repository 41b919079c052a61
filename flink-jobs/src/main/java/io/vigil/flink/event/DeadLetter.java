package io.vigil.flink.event;

import io.vigil.flink.event.FrameEnvelope;

/** A frame the job could not process, with why and where it came from (a Flink POJO). */
public class DeadLetter {
    public static final String SCHEMA = "vigil.deadletter/1";

    public String camera;
    /** The frame's vigil-seq, or -1 when it could not be read. */
    public long frame = -1;
    /** Capture time (epoch µs) when known, else the Kafka record time. */
    public long tsMicros;
    public String reason;
    public String topic;
    public int partition;
    public long offset;

    public DeadLetter() {}

    /** A frame that was decoded and detected but that a later stage refuses (e.g. a duplicate seq). */
    public static DeadLetter of(DetectedFrame f, String reason) {
        DeadLetter d = new DeadLetter();
        d.camera = f.event.camera;
        d.frame = f.event.frame;
        d.tsMicros = f.event.tsMicros;
        d.reason = reason;
        d.topic = f.topic;
        d.partition = f.partition;
        d.offset = f.offset;
        return d;
    }

    public static DeadLetter of(FrameEnvelope f, String reason) {
        DeadLetter d = new DeadLetter();
        d.camera = f.camera;
        d.frame = f.seq;
        d.tsMicros = f.tsMicros;
        d.reason = reason;
        d.topic = f.topic;
        d.partition = f.partition;
        d.offset = f.offset;
        return d;
    }
}
