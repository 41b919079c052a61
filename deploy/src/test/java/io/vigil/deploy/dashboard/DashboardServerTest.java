package io.vigil.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The HTTP side alone (no broker: the feeds just wait for one). */
class DashboardServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A dashboard on loopback whose broker address answers nothing (short client timeouts). */
    private static DashboardServer withoutBroker() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        Properties p = new Properties();
        p.put("request.timeout.ms", "1000");
        p.put("default.api.timeout.ms", "1000");
        return DashboardServer.start("127.0.0.1:" + unused, p, "127.0.0.1", 0);
    }

    @Test
    void servesThePageLocallyAndGuardsWrites() throws Exception {
        try (DashboardServer d = withoutBroker()) {
            assertTrue(d.url().startsWith("http://127.0.0.1:"), d.url());
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(d.url())));
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"app.js\""), "assets from the jar, no CDN");
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
            for (String asset : new String[] {"app.js", "style.css"}) {
                assertEquals(200, send(HttpRequest.newBuilder(URI.create(d.url() + asset))).statusCode(), asset);
            }
            assertTrue(!send(HttpRequest.newBuilder(URI.create(d.url() + "app.js"))).body().contains("innerHTML"),
                    "the page never writes event text as HTML");

            HttpResponse<String> cross = send(HttpRequest.newBuilder(URI.create(d.url() + "api/cameras/lobby"))
                    .header("Origin", "http://evil.example").DELETE());
            assertEquals(403, cross.statusCode());
            assertTrue(cross.body().contains("cross-origin write refused from http://evil.example"));

            HttpResponse<String> bad = send(HttpRequest.newBuilder(URI.create(d.url() + "api/cameras"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"lobby\",\"url\":\"rtsp://a/b\",\"fps\":-3}")));
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("fps must be > 0"), bad.body());

            assertEquals(404, send(HttpRequest.newBuilder(URI.create(d.url() + "api/frame?camera=none&seq=1"))).statusCode());
            d.state().frame("cam", 5, new byte[] {(byte) 0xff, (byte) 0xd8, 1});
            HttpResponse<byte[]> jpeg = http.send(HttpRequest.newBuilder(URI.create(d.url() + "api/frame?camera=cam&seq=5")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, jpeg.statusCode());
            assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElse(""));
            assertEquals(400, send(HttpRequest.newBuilder(URI.create(d.url() + "api/frame?camera=cam&seq=x"))).statusCode());
            assertEquals(404, send(HttpRequest.newBuilder(URI.create(d.url() + "nope"))).statusCode());
        }
    }

    /** One raw HTTP/1.1 GET with the Host header a browser would send for {@code host} (HttpClient will not set Host). */
    private static String rawGet(DashboardServer d, String host, String path) throws Exception {
        URI u = URI.create(d.url());
        try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void withoutLoginsOnlyLocalhostNamesAreServedSoARebindingPageGetsNothing() throws Exception {
        try (DashboardServer d = withoutBroker()) {
            int port = URI.create(d.url()).getPort();
            String rebound = rawGet(d, "evil.example:" + port, "/api/status");
            assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
            assertTrue(rebound.contains("Host 'evil.example:" + port + "' is not this dashboard"), rebound);
            assertTrue(rawGet(d, "evil.example:" + port, "/").startsWith("HTTP/1.1 403"), "not even the page");
            for (String ok : new String[] {"127.0.0.1:" + port, "localhost:" + port, "localhost"}) {
                assertTrue(rawGet(d, ok, "/").startsWith("HTTP/1.1 200"), ok);
            }
        }
        for (String h : new String[] {"localhost", "LOCALHOST:80", "127.0.0.1", "127.1.2.3:9", "[::1]", "[::1]:8080"}) {
            assertTrue(DashboardServer.isLoopbackHost(h), h);
        }
        for (String h : new String[] {"evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "10.0.0.1", "[::2]", "0x7f000001"}) {
            assertTrue(!DashboardServer.isLoopbackHost(h), h);
        }
    }

    @Test
    void behindATlsProxyThePagesHttpsOriginMayWrite() throws Exception {
        try (DashboardServer d = withoutBroker()) {
            String host = URI.create(d.url()).getAuthority();
            HttpResponse<String> viaTls = send(HttpRequest.newBuilder(URI.create(d.url() + "api/cameras"))
                    .header("Origin", "https://" + host)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"lobby\",\"url\":\"rtsp://a/b\",\"fps\":-3}")));
            assertEquals(400, viaTls.statusCode(), "past the origin check to the spec's own error: " + viaTls.body());
            HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(d.url() + "api/cameras/lobby"))
                    .header("Origin", "https://evil.example").DELETE());
            assertEquals(403, other.statusCode());
        }
    }

    @Test
    void withLoginsEveryRouteButTheProbesAndTheLoginFormNeedsOne() throws Exception {
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        Properties p = new Properties();
        p.put("request.timeout.ms", "1000");
        p.put("default.api.timeout.ms", "1000");
        DashboardUsers users = DashboardUsers.empty();
        users.putUser("ada", DashboardUsers.Role.ADMIN, "correct horse battery".toCharArray());
        try (DashboardServer d = DashboardServer.start("127.0.0.1:" + unused, p, "127.0.0.1", 0, DashboardAuth.with(users),
                io.vigil.video.source.SourcePolicy.defaults())) {
            java.util.List<Route> routes = d.routesNeedingALogin();
            assertTrue(routes.size() >= 10, "the table: " + routes.size());
            for (Route r : routes) {
                String path = r.path().length() > 1 && r.path().endsWith("/") ? r.path() + "x" : r.path();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(d.url() + path.substring(1)))
                        .method(r.method(), r.write() ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
                HttpResponse<String> got = send(b);
                boolean page = r.method().equals("GET") && !r.path().startsWith("/api/");
                if (page) assertEquals(303, got.statusCode(), r.method() + " " + path + " sends the browser to the login form");
                else assertEquals(401, got.statusCode(), r.method() + " " + path + " without a login: " + got.body());
            }
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(d.url() + "healthz"))).statusCode(), "the probes need none");
        }
    }

    /**
     * The probes answer without a login; readiness needs Kafka and both feeds: with no broker it says kafka, and a feed
     * that stops (here: interrupted while waiting for its topics) is named until the dashboard is restarted.
     */
    @Test
    void probesSayWhyTheDashboardIsNotReadyAndAStoppedFeedIsNamed() throws Exception {
        try (DashboardServer d = withoutBroker()) {
            assertEquals(200, send(HttpRequest.newBuilder(URI.create(d.url() + "healthz"))).statusCode());
            HttpResponse<String> ready = send(HttpRequest.newBuilder(URI.create(d.url() + "readyz")));
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().startsWith("kafka: "), ready.body());
            assertEquals(null, d.feedsProblem());
            Thread events = d.feeds().threads.get(0);
            events.interrupt();
            events.join(10_000);
            String why = d.feedsProblem();
            assertTrue(why != null && why.contains("the events feed stopped"), "a stopped feed is named: " + why);
            ready = send(HttpRequest.newBuilder(URI.create(d.url() + "readyz")));
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("feeds: the events feed stopped"), ready.body());

            // a page that connects now is told both: its data is stale, and what the process noticed
            d.notice("DETECTOR ON CPU: CUDA asked for, not available");
            HttpResponse<java.io.InputStream> sse = http.send(HttpRequest.newBuilder(URI.create(d.url() + "api/events")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            StringBuilder first = new StringBuilder();
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(sse.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line; !first.toString().contains("event: notice") && (line = r.readLine()) != null; ) first.append(line).append('\n');
                first.append(r.readLine());
            }
            assertTrue(first.toString().contains("event: health") && first.toString().contains("the events feed stopped"), first.toString());
            assertTrue(first.toString().contains("DETECTOR ON CPU: CUDA asked for, not available"), first.toString());
        }
    }

    @Test
    void keepsTheNewestFramesPerCamera() {
        DashboardState s = new DashboardState((e, d) -> { });
        for (long i = 0; i < DashboardState.FRAMES_KEPT + 10; i++) s.frame("c", i, new byte[] {(byte) i});
        assertEquals(null, s.frameJpeg("c", 9L), "evicted");
        assertEquals((byte) 10, s.frameJpeg("c", 10L)[0]);
        assertEquals((byte) (DashboardState.FRAMES_KEPT + 9), s.frameJpeg("c", null)[0], "newest");
    }
}
