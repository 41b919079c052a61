package io.vigil.deploy.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.vigil.deploy.evidence.FrameStore;
import io.vigil.video.kafka.Topics;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Pictures: a camera's recent published frame ({@code /api/frame}, from the newest 64 kept in memory), the exact frame
 * an analytics event names ({@code /api/frameref}, read from vigil.frames; 410 once retention removed it) and an MP4 of
 * a span with detections and rules drawn ({@code /api/clip}).
 */
final class FramesResource {
    private final DashboardState state;
    private final ClipService evidence;

    FramesResource(DashboardState state, ClipService evidence) {
        this.state = state;
        this.evidence = evidence;
    }

    List<Route> routes() {
        return List.of(Route.get("/api/frame", (ex, who) -> frame(ex)), Route.get("/api/frameref", (ex, who) -> frameRef(ex)),
                Route.get("/api/clip", (ex, who) -> clip(ex)));
    }

    private void frame(HttpExchange ex) throws IOException {
        Map<String, String> q = Http.query(ex);
        String seq = q.get("seq");
        byte[] jpeg = state.frameJpeg(q.getOrDefault("camera", ""), seq == null || seq.isBlank() ? null : Http.longParam(q, "seq"));
        if (jpeg == null) {
            Http.text(ex, 404, "no such frame (kept: the newest 64 per camera)");
            return;
        }
        ex.getResponseHeaders().set("Cache-Control", "max-age=60");
        Http.send(ex, 200, "image/jpeg", jpeg);
    }

    private void frameRef(HttpExchange ex) throws IOException {
        Map<String, String> q = Http.query(ex);
        String topic = q.getOrDefault("topic", Topics.FRAMES);
        if (!topic.equals(Topics.FRAMES)) throw new IllegalArgumentException("topic: only " + Topics.FRAMES + " holds frames, got '" + topic + "'");
        int partition = Http.intParam(q, "partition");
        long offset = Http.longParam(q, "offset");
        try {
            byte[] jpeg = evidence.frame(partition, offset);
            ex.getResponseHeaders().set("Cache-Control", "max-age=86400, immutable"); // an offset never changes its record
            Http.send(ex, 200, "image/jpeg", jpeg);
        } catch (FrameStore.NotFound e) {
            notFound(ex, e);
        }
    }

    private void clip(HttpExchange ex) throws IOException {
        Map<String, String> q = Http.query(ex);
        String camera = q.getOrDefault("camera", "");
        if (camera.isBlank()) throw new IllegalArgumentException("camera: missing");
        long from = Http.longParam(q, "from"), to = Http.longParam(q, "to");
        if (to <= from || to - from > ClipService.MAX_SPAN_MS) {
            throw new IllegalArgumentException("from, to: epoch ms with from < to, at most " + ClipService.MAX_SPAN_MS / 1000 + " s apart");
        }
        try {
            byte[] mp4 = evidence.clip(camera, from, to, state.rules(camera));
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + camera.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + from + ".mp4\"");
            Http.send(ex, 200, "video/mp4", mp4);
        } catch (FrameStore.NotFound e) {
            notFound(ex, e);
        }
    }

    private static void notFound(HttpExchange ex, FrameStore.NotFound e) throws IOException {
        Http.text(ex, e.getMessage().contains("expired") ? 410 : 404, e.getMessage());
    }
}
