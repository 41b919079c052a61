package io.vigil.tests;

import io.vigil.video.gateway.CameraStatus;
import io.vigil.video.gateway.FramePublisher;
import io.vigil.video.gateway.StatusSink;
import io.vigil.video.kafka.FrameRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** Passes frames and statuses to the real Kafka ones and remembers what was acknowledged. */
final class RecordingPublisher implements FramePublisher, StatusSink {
    record Sent(String camera, long seq, long ackMillis, long ageMs) {}

    final List<Sent> acked = Collections.synchronizedList(new ArrayList<>());
    final List<CameraStatus> statuses = Collections.synchronizedList(new ArrayList<>());
    private final FramePublisher frames;
    private final StatusSink status;

    RecordingPublisher(FramePublisher frames, StatusSink status) {
        this.frames = frames;
        this.status = status;
    }

    @Override
    public void publish(FrameRecord frame, Consumer<Exception> onDone) {
        frames.publish(frame, err -> {
            if (err == null) {
                long now = System.currentTimeMillis();
                acked.add(new Sent(frame.camera(), frame.seq(), now, now - frame.tsMicros() / 1000));
            }
            onDone.accept(err);
        });
    }

    @Override
    public void publish(CameraStatus s) {
        statuses.add(s);
        status.publish(s);
    }

    List<Sent> acked(String camera) {
        synchronized (acked) {
            return acked.stream().filter(s -> s.camera().equals(camera)).toList();
        }
    }

    List<CameraStatus> statuses(String camera) {
        synchronized (statuses) {
            return statuses.stream().filter(s -> s.camera().equals(camera)).toList();
        }
    }

    @Override
    public void flush() {
        frames.flush();
    }

    @Override
    public void close() {
        frames.close();
        status.close();
    }
}
