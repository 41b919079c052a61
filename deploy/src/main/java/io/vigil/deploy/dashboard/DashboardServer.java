package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.deploy.evidence.FrameStore;
import io.vigil.flink.analytics.InvalidRuleException;
import io.vigil.flink.analytics.Rule;
import io.vigil.flink.analytics.RuleRegistry;
import io.vigil.video.gateway.CameraRegistry;
import io.vigil.video.gateway.CameraSpec;
import io.vigil.video.kafka.Topics;
import io.vigil.video.source.SourcePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.vigil.deploy.dashboard.DashboardUsers.Principal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: a page (served from this jar, no CDN) showing every camera's latest frame with boxes, track
 * ids, trails and action labels, its status, fps, latency and an object-count chart, updated over Server-Sent Events
 * from Kafka; cameras are subscribed and removed from the page through {@code vigil.cameras}.
 *
 * <pre>
 * GET    /                        the page (index.html, app.js, style.css)
 * GET    /api/snapshot            every camera as JSON
 * GET    /api/events              SSE: snapshot, then frame | camera | removed events
 * GET    /api/frame?camera=&amp;seq=  a published frame (JPEG), the newest without seq
 * GET    /api/frameref?topic=&amp;partition=&amp;offset=  the exact frame an analytics event names (JPEG, read from vigil.frames;
 *                                 410 once retention removed it)
 * GET    /api/clip?camera=&amp;from=&amp;to=  an MP4 of the camera's frames captured between two epoch ms (60 s at most),
 *                                 detections and rules drawn
 * POST   /api/cameras             subscribe: a vigil.cameras spec as JSON
 * DELETE /api/cameras/{id}        unsubscribe
 * POST   /api/rules               add or change an analytics rule: rules/1 JSON (validated as the job does)
 * DELETE /api/rules/{id}          delete a rule
 * GET    /api/session             who is asking: user, role, the session's CSRF token
 * GET    /login, POST /login      the login page and form (with users), POST /logout
 * GET    /healthz, /readyz        probes, no login: alive; ready = Kafka answers and both feeds run (else 503 and why)
 * </pre>
 *
 * Binds 127.0.0.1 unless told otherwise; any other address needs users ({@link DashboardAuth}: login sessions,
 * API tokens, admin and viewer roles, CSRF tokens on writes, failed-login limits). Writes are refused from other
 * origins too (a page elsewhere must not drive the camera registry through the user's browser), and a subscription whose
 * source the {@link SourcePolicy} refuses is answered 400 with the rule and never written.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of("/", "index.html", "/index.html", "index.html",
            "/app.js", "app.js", "/style.css", "style.css");
    /** What a browser may load before logging in. */
    private static final Map<String, String> LOGIN_ASSETS = Map.of("/login", "login.html", "/login.js", "login.js", "/style.css", "style.css");

    private final HttpServer http;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dashboard-http");
        t.setDaemon(true);
        return t;
    });
    private final SseHub hub = new SseHub();
    private final DashboardState state = new DashboardState(hub::broadcast);
    private final DashboardFeeds feeds;
    private final io.vigil.deploy.ops.KafkaReachability kafka;
    private final io.vigil.deploy.ops.Health readiness;
    private final String bootstrap;
    private final Properties client;
    private final DashboardAuth auth;
    private final SourcePolicy sources;
    private final ClipService evidence;
    private volatile boolean running = true;

    private DashboardServer(String bootstrap, Properties client, String bind, int port, DashboardAuth auth, SourcePolicy sources) throws IOException {
        this.bootstrap = bootstrap;
        this.client = client;
        this.auth = auth;
        this.sources = sources;
        http = HttpServer.create(new InetSocketAddress(bind, port), 64);
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        feeds = new DashboardFeeds(bootstrap, client, state);
        feeds.onStop(why -> hub.broadcast("health", health(why)));
        kafka = new io.vigil.deploy.ops.KafkaReachability(bootstrap, client == null ? new Properties() : client, java.time.Duration.ofSeconds(2));
        readiness = new io.vigil.deploy.ops.Health().check("kafka", kafka).check("feeds", feeds::problem);
        evidence = new ClipService(bootstrap, client);
    }

    /** Starts serving on a loopback bind:port (port 0 = any free one) without logins, and following the topics. */
    public static DashboardServer start(String bootstrap, Properties client, String bind, int port) throws IOException {
        return start(bootstrap, client, bind, port, DashboardAuth.off(), SourcePolicy.defaults());
    }

    /**
     * Starts serving on bind:port with {@code auth}. A bind address that is not loopback needs authentication: without
     * users it refuses to start, naming what to do.
     */
    public static DashboardServer start(String bootstrap, Properties client, String bind, int port, DashboardAuth auth, SourcePolicy sources)
            throws IOException {
        if (!auth.required() && !isLoopback(bind)) {
            throw new IllegalArgumentException("dashboard: --bind " + bind + " is reachable from other machines, so it needs logins: "
                    + "add a user (vigil dashboard user add NAME --role admin) and pass --users FILE");
        }
        DashboardServer s = new DashboardServer(bootstrap, client, bind, port, auth, sources);
        s.http.start();
        s.feeds.start();
        return s;
    }

    public String url() {
        String host = http.getAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1" : http.getAddress().getHostString();
        return "http://" + host + ":" + http.getAddress().getPort() + "/";
    }

    DashboardState state() {
        return state;
    }

    DashboardFeeds feeds() {
        return feeds;
    }

    private volatile String notice = "";

    /**
     * A line every page shows in its header until replaced ("" removes it): what the process running the dashboard
     * knows that the events do not say, e.g. the demo's detector running on CPU although CUDA was asked for.
     */
    public void notice(String text) {
        String t = text == null ? "" : text;
        if (t.equals(notice)) return;
        notice = t;
        hub.broadcast("notice", JSON.createObjectNode().put("text", t));
    }

    /** null while both Kafka feeds run, else which stopped and why (the page shows stale data then). */
    public String feedsProblem() {
        return feeds.problem();
    }

    /** The page's health event: its feeds stopped, so what it shows is stale. */
    private static com.fasterxml.jackson.databind.JsonNode health(String problem) {
        return JSON.createObjectNode().put("ok", false).put("problem", problem);
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("dashboard: --bind " + bind + " is not an address of this machine: " + e.getMessage());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (method.equals("GET") && (path.equals("/healthz") || path.equals("/readyz"))) {
                // probes: no login (they say nothing but whether the dashboard works, and why not)
                java.util.List<String> failing = path.equals("/healthz") ? java.util.List.of() : readiness.failing();
                send(ex, failing.isEmpty() ? 200 : 503, "text/plain; charset=utf-8",
                        ((failing.isEmpty() ? (path.equals("/healthz") ? "ok" : "ready") : String.join("\n", failing)) + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (auth.required() && method.equals("GET") && LOGIN_ASSETS.containsKey(path)) {
                asset(ex, LOGIN_ASSETS.get(path));
                return;
            }
            if (auth.required() && method.equals("POST") && path.equals("/login")) {
                login(ex);
                return;
            }
            if (method.equals("POST") && path.equals("/logout")) {
                auth.logout(ex);
                ex.getResponseHeaders().add("Set-Cookie", DashboardAuth.COOKIE + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
                redirect(ex, auth.required() ? "/login" : "/");
                return;
            }
            Principal who = auth.who(ex).orElse(null);
            if (who == null) {
                if (method.equals("GET") && ASSETS.containsKey(path)) redirect(ex, "/login");
                else send(ex, 401, "text/plain; charset=utf-8", "log in first (the dashboard's login page, or Authorization: Bearer TOKEN)".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if ((method.equals("POST") || method.equals("DELETE")) && path.startsWith("/api/")) {
                String refused = auth.refuseWrite(ex, who);
                if (refused != null) {
                    LOG.warn("dashboard: {} {} by {} refused: {}", method, path, who.name(), refused);
                    send(ex, 403, "text/plain; charset=utf-8", refused.getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
            if (method.equals("GET") && path.equals("/api/session")) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("auth", auth.required());
                s.put("user", who.name());
                s.put("role", who.role().wire());
                s.put("csrf", auth.session(ex).map(DashboardAuth.Session::csrf).orElse(null));
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                send(ex, 200, "application/json", JSON.writeValueAsBytes(s));
            } else if (method.equals("GET") && ASSETS.containsKey(path)) {
                asset(ex, ASSETS.get(path));
            } else if (method.equals("GET") && path.equals("/api/snapshot")) {
                send(ex, 200, "application/json", JSON.writeValueAsBytes(state.snapshot()));
            } else if (method.equals("GET") && path.equals("/api/events")) {
                ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    String stale = feeds.problem();
                    hub.serve(out, "event: snapshot\ndata: " + JSON.writeValueAsString(state.snapshot()) + "\n\n"
                            + (stale == null ? "" : "event: health\ndata: " + health(stale) + "\n\n")
                            + (notice.isEmpty() ? "" : "event: notice\ndata: " + JSON.createObjectNode().put("text", notice) + "\n\n"), () -> running);
                } catch (IOException gone) {
                    // the page went away
                }
            } else if (method.equals("GET") && path.equals("/api/frame")) {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                String seq = q.get("seq");
                byte[] jpeg = state.frameJpeg(q.getOrDefault("camera", ""), seq == null || seq.isBlank() ? null : Long.parseLong(seq));
                if (jpeg == null) send(ex, 404, "text/plain; charset=utf-8", "no such frame (kept: the newest 64 per camera)".getBytes(StandardCharsets.UTF_8));
                else {
                    ex.getResponseHeaders().set("Cache-Control", "max-age=60");
                    send(ex, 200, "image/jpeg", jpeg);
                }
            } else if (method.equals("GET") && path.equals("/api/frameref")) {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                String topic = q.getOrDefault("topic", Topics.FRAMES);
                if (!topic.equals(Topics.FRAMES)) throw new IllegalArgumentException("topic: only " + Topics.FRAMES + " holds frames, got '" + topic + "'");
                int partition = intParam(q, "partition");
                long offset = longParam(q, "offset");
                try {
                    byte[] jpeg = evidence.frame(partition, offset);
                    ex.getResponseHeaders().set("Cache-Control", "max-age=86400, immutable"); // an offset never changes its record
                    send(ex, 200, "image/jpeg", jpeg);
                } catch (FrameStore.NotFound e) {
                    send(ex, e.getMessage().contains("expired") ? 410 : 404, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8));
                }
            } else if (method.equals("GET") && path.equals("/api/clip")) {
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                String camera = q.getOrDefault("camera", "");
                if (camera.isBlank()) throw new IllegalArgumentException("camera: missing");
                long from = longParam(q, "from"), to = longParam(q, "to");
                if (to <= from || to - from > ClipService.MAX_SPAN_MS) {
                    throw new IllegalArgumentException("from, to: epoch ms with from < to, at most " + ClipService.MAX_SPAN_MS / 1000 + " s apart");
                }
                try {
                    byte[] mp4 = evidence.clip(camera, from, to, state.rules(camera));
                    ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + camera.replaceAll("[^A-Za-z0-9._-]", "_")
                            + "-" + from + ".mp4\"");
                    send(ex, 200, "video/mp4", mp4);
                } catch (FrameStore.NotFound e) {
                    send(ex, e.getMessage().contains("expired") ? 410 : 404, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8));
                }
            } else if (path.equals("/api/rules") && method.equals("POST")) {
                if (!sameOrigin(ex)) return;
                try {
                    Rule r = RuleRegistry.put(bootstrap, client, ex.getRequestBody().readNBytes(64 * 1024));
                    LOG.info("dashboard: {} wrote rule {} ({} on camera {})", who.name(), r.id(), r.kind().json, r.camera());
                    send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("rule", r.id())));
                } catch (InvalidRuleException e) {
                    throw new IllegalArgumentException(e.getMessage());
                }
            } else if (path.startsWith("/api/rules/") && method.equals("DELETE")) {
                if (!sameOrigin(ex)) return;
                String id = URLDecoder.decode(path.substring("/api/rules/".length()), StandardCharsets.UTF_8);
                if (id.isBlank()) throw new IllegalArgumentException("rule id missing");
                RuleRegistry.remove(bootstrap, client, id);
                LOG.info("dashboard: {} deleted rule {}", who.name(), id);
                send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("removed", id)));
            } else if (path.equals("/api/cameras") && method.equals("POST")) {
                if (!sameOrigin(ex)) return;
                CameraSpec spec = CameraSpec.parse(null, ex.getRequestBody().readNBytes(64 * 1024));
                // the gateway applies the same policy; refusing here tells the user at once and writes nothing
                String refused = sources.refusal(spec.url());
                if (refused != null) throw new IllegalArgumentException("camera " + spec.id() + ": " + refused);
                CameraRegistry.put(bootstrap, client, spec);
                send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("subscribed", spec.id())));
            } else if (path.startsWith("/api/cameras/") && method.equals("DELETE")) {
                if (!sameOrigin(ex)) return;
                String id = URLDecoder.decode(path.substring("/api/cameras/".length()), StandardCharsets.UTF_8);
                if (id.isBlank()) throw new IllegalArgumentException("camera id missing");
                CameraRegistry.remove(bootstrap, client, id);
                send(ex, 200, "application/json", JSON.writeValueAsBytes(Map.of("removed", id)));
            } else {
                send(ex, 404, "text/plain; charset=utf-8", ("not found: " + method + " " + path).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            // a bad spec or seq: the message names the field, never a password (CameraSpec.InvalidException)
            send(ex, 400, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("dashboard: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            send(ex, 500, "text/plain; charset=utf-8", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        } finally {
            ex.close();
        }
    }

    /** The login form's POST: a session cookie and the page, or back to the form; refused for a while after repeated failures. */
    private void login(HttpExchange ex) throws IOException {
        if (!sameOrigin(ex)) return;
        byte[] body = ex.getRequestBody().readNBytes(4096);
        Map<String, String> form = query(new String(body, StandardCharsets.UTF_8));
        String user = form.getOrDefault("user", "");
        char[] password = form.getOrDefault("password", "").toCharArray();
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        String[] session = new String[1];
        DashboardAuth.LoginResult r = auth.login(user, password, client, session);
        java.util.Arrays.fill(password, '\0');
        switch (r) {
            case OK -> {
                LOG.info("dashboard: {} logged in from {}", user, client);
                ex.getResponseHeaders().add("Set-Cookie", DashboardAuth.COOKIE + "=" + session[0] + "; Path=/; HttpOnly; SameSite=Strict");
                redirect(ex, "/");
            }
            case WRONG -> {
                LOG.warn("dashboard: failed login for '{}' from {}", user.replaceAll("[^A-Za-z0-9._-]", "?"), client);
                redirect(ex, "/login?error=wrong");
            }
            case LIMITED -> {
                LOG.warn("dashboard: login for '{}' from {} refused: too many failures", user.replaceAll("[^A-Za-z0-9._-]", "?"), client);
                ex.getResponseHeaders().set("Retry-After", Long.toString(DashboardAuth.LOCKOUT.toSeconds()));
                send(ex, 429, "text/plain; charset=utf-8", ("too many failed logins: try again in " + DashboardAuth.LOCKOUT.toMinutes()
                        + " minutes").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(303, -1);
    }

    /** Browsers send Origin on cross-site writes; only this server's own page may subscribe or remove cameras. */
    private boolean sameOrigin(HttpExchange ex) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin == null || (host != null && (origin.equals("http://" + host)))) return true;
        send(ex, 403, "text/plain; charset=utf-8", ("cross-origin write refused from " + origin).getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void asset(HttpExchange ex, String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("dashboard asset " + name + " missing from the jar");
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob:; style-src 'self'; frame-ancestors 'none'; form-action 'self'");
            send(ex, 200, type, in.readAllBytes());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static int intParam(Map<String, String> q, String name) {
        try {
            return Integer.parseInt(q.getOrDefault(name, "").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": a whole number, got '" + q.getOrDefault(name, "") + "'");
        }
    }

    private static long longParam(Map<String, String> q, String name) {
        try {
            return Long.parseLong(q.getOrDefault(name, "").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": a whole number, got '" + q.getOrDefault(name, "") + "'");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) return m;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Override
    public void close() throws Exception {
        running = false;
        http.stop(0);
        feeds.close();
        kafka.close();
        evidence.close();
        pool.shutdownNow();
    }
}
