package io.vigil.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromium in headless mode, driven over the Chrome DevTools Protocol (a WebSocket, no extra library):
 * navigate, evaluate JavaScript in the page, take a screenshot. A fresh profile directory per instance.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder log = new StringBuilder();

    HeadlessChromium(int width, int height) throws Exception {
        String binary = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        profile = Files.createTempDirectory("chromium-profile");
        process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String browserWs = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (browserWs == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
            log.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) browserWs = m.group(1);
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not open its DevTools port (is it installed? apt-get install -y chromium): " + log);
        }
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    synchronized (log) {
                        if (log.length() < 200_000) log.append(l).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the browser exited
            }
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI ws = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        String pageWs = null;
        for (JsonNode t : JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body())) {
            if ("page".equals(t.path("type").asText())) pageWs = t.path("webSocketDebuggerUrl").asText();
        }
        if (pageWs == null) throw new IllegalStateException("chromium has no page target");
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(10, TimeUnit.SECONDS);
        call("Page.enable", JSON.createObjectNode());
        call("Runtime.enable", JSON.createObjectNode());
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values only). */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("page threw: " + r.path("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Polls an expression until it is true; while the page is navigating, an expression that throws counts as false. */
    boolean await(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (eval(condition).asBoolean(false)) return true;
            } catch (IllegalStateException notYet) {
                // the page threw (an element of the next page is not there yet): poll again
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** A real left click at viewport coordinates (CSS pixels), as a user's mouse sends it: press, then release. */
    void click(double x, double y) throws Exception {
        for (String type : new String[] {"mouseMoved", "mousePressed", "mouseReleased"}) {
            ObjectNode p = JSON.createObjectNode().put("type", type).put("x", x).put("y", y);
            if (!type.equals("mouseMoved")) p.put("button", "left").put("clickCount", 1);
            call("Input.dispatchMouseEvent", p);
        }
    }

    /** Clicks the point (fx, fy), fractions 0..1 of the element's box, of the element {@code selector} finds (scrolled into view). */
    void clickAt(String selector, double fx, double fy) throws Exception {
        JsonNode box = eval("(() => { const e = " + selector + "; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return [r.left, r.top, r.width, r.height]; })()");
        click(box.get(0).asDouble() + fx * box.get(2).asDouble(), box.get(1).asDouble() + fy * box.get(3).asDouble());
    }

    void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(r.path("data").asText()));
    }

    String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = f.get(30, TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + " failed: " + reply.path("error"));
        return reply.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(part.toString());
                    CompletableFuture<JsonNode> f = m.has("id") ? pending.remove(m.path("id").asInt()) : null;
                    if (f != null) f.complete(m);
                } catch (IOException e) {
                    // not a reply we wait for
                }
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        // the browser's helper processes (renderer, GPU, network) outlive it briefly and keep writing to the profile
        java.util.List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        for (ProcessHandle h : helpers) {
            h.destroyForcibly();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone already, or still going: the profile is removed as far as it can be below
            }
        }
        // best effort: a file vanishing under the walk (the cache's own clean-up) is not a test failure
        for (int attempt = 0; attempt < 3 && Files.exists(profile); attempt++) {
            try (var s = Files.walk(profile)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                Thread.sleep(200);
            }
        }
    }
}
