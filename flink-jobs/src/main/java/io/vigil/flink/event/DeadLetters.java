package io.vigil.flink.event;

import io.vigil.events.DeadLetter;

/** The dead letter for a frame of the job, with where it came from on the frames topic. */
public final class DeadLetters {
    private DeadLetters() {}

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

    /** A frame as read from Kafka that cannot be processed (broken wire format, corrupt image, too many pixels). */
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
