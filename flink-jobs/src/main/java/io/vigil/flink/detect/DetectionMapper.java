package io.vigil.flink.detect;

import io.vigil.events.DetectedObject;
import io.vigil.events.DetectionEvent;
import io.vigil.flink.event.FrameEnvelope;
import io.vigil.models.detect.Detection;
import java.util.List;

/** The detector's boxes as the frame's published event: pixels of the published frame and the same box in 0..1. */
final class DetectionMapper {
    private final String modelId;

    DetectionMapper(String modelId) {
        this.modelId = modelId;
    }

    DetectionEvent toEvent(FrameEnvelope f, List<Detection> dets) {
        DetectionEvent e = new DetectionEvent();
        e.camera = f.camera;
        e.frame = f.seq;
        e.tsMicros = f.tsMicros;
        e.width = f.width;
        e.height = f.height;
        e.model = modelId;
        e.objects = new DetectedObject[dets.size()];
        for (int i = 0; i < dets.size(); i++) {
            Detection d = dets.get(i);
            DetectedObject o = new DetectedObject();
            o.label = d.label();
            o.classId = d.classId();
            o.score = d.score();
            o.box = new float[] {d.x1(), d.y1(), d.x2(), d.y2()};
            o.boxNorm = new float[] {d.x1() / f.width, d.y1() / f.height, d.x2() / f.width, d.y2() / f.height};
            e.objects[i] = o;
        }
        return e;
    }

    /** [2n]: the centres (x, y) of the event's boxes, what the gate remembers of a detection. */
    static float[] centres(DetectionEvent e) {
        float[] c = new float[e.objects.length * 2];
        for (int i = 0; i < e.objects.length; i++) {
            float[] b = e.objects[i].box;
            c[2 * i] = (b[0] + b[2]) / 2;
            c[2 * i + 1] = (b[1] + b[3]) / 2;
        }
        return c;
    }
}
