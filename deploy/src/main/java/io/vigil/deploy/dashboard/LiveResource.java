package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the page shows live: every camera as JSON ({@code /api/snapshot}) and the Server-Sent Events that follow it ({@code /api/events}). */
final class LiveResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DashboardState state;
    private final DashboardFeeds feeds;
    private final SseHub hub;
    private final Supplier<String> notice;
    private final BooleanSupplier running;

    LiveResource(DashboardState state, DashboardFeeds feeds, SseHub hub, Supplier<String> notice, BooleanSupplier running) {
        this.state = state;
        this.feeds = feeds;
        this.hub = hub;
        this.notice = notice;
        this.running = running;
    }

    List<Route> routes() {
        return List.of(Route.get("/api/snapshot", (ex, who) -> Http.send(ex, 200, "application/json", JSON.writeValueAsBytes(state.snapshot()))),
                Route.get("/api/events", (ex, who) -> events(ex)));
    }

    private void events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            String stale = feeds.problem();
            String n = notice.get();
            hub.serve(out, "event: snapshot\ndata: " + JSON.writeValueAsString(state.snapshot()) + "\n\n"
                    + (stale == null ? "" : "event: health\ndata: " + DashboardServer.health(stale) + "\n\n")
                    + (n.isEmpty() ? "" : "event: notice\ndata: " + JSON.createObjectNode().put("text", n) + "\n\n"), running);
        } catch (IOException gone) {
            // the page went away
        }
    }
}
