package io.vigil.events;

/** A frame the job could not process, with why and where it came from (a POJO, so Flink serializes it as one). */
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
}
