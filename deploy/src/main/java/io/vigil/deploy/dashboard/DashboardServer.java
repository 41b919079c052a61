package io.vigil.deploy.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.video.source.SourcePolicy;
import java.io.IOException;
import io.vigil.deploy.dashboard.DashboardUsers.Principal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    private final List<Route> publicRoutes;
    private final List<Route> userRoutes;

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
        publicRoutes = publicRoutes();
        userRoutes = userRoutes();
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
    static com.fasterxml.jackson.databind.JsonNode health(String problem) {
        return JSON.createObjectNode().put("ok", false).put("problem", problem);
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("dashboard: --bind " + bind + " is not an address of this machine: " + e.getMessage());
        }
    }

    /** Routes answered before any login: the probes, and with users the login page and form. */
    /** Every route that needs a login: the user routes the public ones (probes, the login form and its assets) do not answer. */
    List<Route> routesNeedingALogin() {
        return userRoutes.stream().filter(u -> find(publicRoutes, u.method(), u.path().endsWith("/") && u.path().length() > 1 ? u.path() + "x" : u.path()) == null).toList();
    }

    private List<Route> publicRoutes() {
        List<Route> r = new ArrayList<>();
        for (String probe : List.of("/healthz", "/readyz")) {
            // the probes say nothing but whether the dashboard works, and why not
            r.add(Route.get(probe, (ex, who) -> {
                List<String> failing = probe.equals("/healthz") ? List.of() : readiness.failing();
                Http.text(ex, failing.isEmpty() ? 200 : 503, (failing.isEmpty() ? (probe.equals("/healthz") ? "ok" : "ready") : String.join("\n", failing)) + "\n");
            }));
        }
        if (auth.required()) {
            LOGIN_ASSETS.forEach((path, asset) -> r.add(Route.get(path, (ex, who) -> Http.asset(ex, asset))));
            r.add(new Route("POST", "/login", false, (ex, who) -> login(ex)));
        }
        r.add(new Route("POST", "/logout", false, (ex, who) -> {
            auth.logout(ex);
            ex.getResponseHeaders().add("Set-Cookie", DashboardAuth.COOKIE + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
            Http.redirect(ex, auth.required() ? "/login" : "/");
        }));
        return r;
    }

    /** Routes for a logged-in user (everyone, on loopback without users); the writes need the admin role. */
    private List<Route> userRoutes() {
        List<Route> r = new ArrayList<>();
        r.add(Route.get("/api/session", (ex, who) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("auth", auth.required());
            s.put("user", who.name());
            s.put("role", who.role().wire());
            s.put("csrf", auth.session(ex).map(DashboardAuth.Session::csrf).orElse(null));
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            Http.send(ex, 200, "application/json", JSON.writeValueAsBytes(s));
        }));
        ASSETS.forEach((path, asset) -> r.add(Route.get(path, (ex, who) -> Http.asset(ex, asset))));
        r.addAll(new LiveResource(state, feeds, hub, () -> notice, () -> running).routes());
        r.addAll(new FramesResource(state, evidence).routes());
        r.addAll(new RegistryResource(bootstrap, client, sources).routes());
        return r;
    }

    private static Route find(List<Route> table, String method, String path) {
        for (Route r : table) if (r.matches(method, path)) return r;
        return null;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            String host = ex.getRequestHeaders().getFirst("Host");
            if (!auth.required() && !isLoopbackHost(host)) {
                // DNS rebinding: a web page elsewhere points its own name at 127.0.0.1; the browser then sends that name
                LOG.warn("dashboard: {} {} for Host '{}' refused: without logins only localhost names are served", method, path, host);
                Http.text(ex, 403, "Host '" + host + "' is not this dashboard: without logins it answers to localhost, 127.0.0.1 and [::1] only");
                return;
            }
            Route open = find(publicRoutes, method, path);
            if (open != null) {
                open.handler().handle(ex, null);
                return;
            }
            Principal who = auth.who(ex).orElse(null);
            if (who == null) {
                if (method.equals("GET") && ASSETS.containsKey(path)) Http.redirect(ex, "/login");
                else Http.text(ex, 401, "log in first (the dashboard's login page, or Authorization: Bearer TOKEN)");
                return;
            }
            Route route = find(userRoutes, method, path);
            if (route == null) {
                Http.text(ex, 404, "not found: " + method + " " + path);
                return;
            }
            if (route.write()) {
                String refused = auth.refuseWrite(ex, who);
                if (refused != null) {
                    LOG.warn("dashboard: {} {} by {} refused: {}", method, path, who.name(), refused);
                    Http.text(ex, 403, refused);
                    return;
                }
                if (!sameOrigin(ex)) return;
            }
            route.handler().handle(ex, who);
        } catch (IllegalArgumentException e) {
            // a bad spec or seq: the message names the field, never a password (CameraSpec.InvalidException)
            Http.text(ex, 400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dashboard: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            Http.text(ex, 500, String.valueOf(e.getMessage()));
        } finally {
            ex.close();
        }
    }

    /** The login form's POST: a session cookie and the page, or back to the form; refused for a while after repeated failures. */
    private void login(HttpExchange ex) throws IOException {
        if (!sameOrigin(ex)) return;
        byte[] body = ex.getRequestBody().readNBytes(4096);
        Map<String, String> form = Http.query(new String(body, StandardCharsets.UTF_8));
        String user = form.getOrDefault("user", "");
        char[] password = form.getOrDefault("password", "").toCharArray();
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        String[] session = new String[1];
        DashboardAuth.LoginResult r = auth.login(user, password, client, session);
        java.util.Arrays.fill(password, '\0');
        switch (r) {
            case OK -> {
                LOG.info("dashboard: {} logged in from {}", user, client);
                ex.getResponseHeaders().add("Set-Cookie", DashboardAuth.COOKIE + "=" + session[0] + "; Path=/; HttpOnly; SameSite=Strict"
                        + (behindTls(ex) ? "; Secure" : ""));
                Http.redirect(ex, "/");
            }
            case WRONG -> {
                LOG.warn("dashboard: failed login for '{}' from {}", user.replaceAll("[^A-Za-z0-9._-]", "?"), client);
                Http.redirect(ex, "/login?error=wrong");
            }
            case LIMITED -> {
                LOG.warn("dashboard: login for '{}' from {} refused: too many failures", user.replaceAll("[^A-Za-z0-9._-]", "?"), client);
                ex.getResponseHeaders().set("Retry-After", Long.toString(DashboardAuth.LOCKOUT.toSeconds()));
                Http.send(ex, 429, "text/plain; charset=utf-8", ("too many failed logins: try again in " + DashboardAuth.LOCKOUT.toMinutes()
                        + " minutes").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Browsers send Origin on cross-site writes; only this server's own page may subscribe or remove cameras. The page's
     * origin is http://HOST, or https://HOST behind a TLS proxy (the README's advice), so the scheme is not compared.
     * A request without Origin is not a browser's cross-site write (API clients with a token, curl).
     */
    private boolean sameOrigin(HttpExchange ex) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin == null || (host != null && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host)))) return true;
        Http.send(ex, 403, "text/plain; charset=utf-8", ("cross-origin write refused from " + origin).getBytes(StandardCharsets.UTF_8));
        return false;
    }

    /** The browser reached us over TLS through a proxy: it says so in X-Forwarded-Proto, or its Origin is https. */
    static boolean behindTls(HttpExchange ex) {
        String proto = ex.getRequestHeaders().getFirst("X-Forwarded-Proto");
        String origin = ex.getRequestHeaders().getFirst("Origin");
        return "https".equalsIgnoreCase(proto) || (origin != null && origin.regionMatches(true, 0, "https://", 0, 8));
    }

    /** localhost, 127.x.x.x or [::1], with or without a port; null (an HTTP/1.0 client, never a browser) passes. */
    static boolean isLoopbackHost(String host) {
        if (host == null) return true;
        String h = host.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1") && (end == h.length() - 1 || h.charAt(end + 1) == ':');
        }
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        if (h.equals("localhost") || h.equals("localhost.")) return true;
        return h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
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
