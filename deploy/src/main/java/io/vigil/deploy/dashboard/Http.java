package io.vigil.deploy.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What every dashboard resource answers with: bodies, redirects, the jar's assets, and the query's parameters. */
final class Http {
    private Http() {}

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void text(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().set("Location", to);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(303, -1);
    }

    /** A page, script or style sheet from the jar, under the dashboard's content security policy. */
    static void asset(HttpExchange ex, String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("dashboard asset " + name + " missing from the jar");
            ex.getResponseHeaders().set("X-Frame-Options", "DENY");
            String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob:; style-src 'self'; frame-ancestors 'none'; form-action 'self'");
            send(ex, 200, type, in.readAllBytes());
        }
    }

    static Map<String, String> query(HttpExchange ex) {
        return query(ex.getRequestURI().getRawQuery());
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) return m;
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            if (i > 0) m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    static long longParam(Map<String, String> q, String name) {
        try {
            return Long.parseLong(q.getOrDefault(name, "").strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": a whole number, got '" + q.getOrDefault(name, "") + "'");
        }
    }

    static int intParam(Map<String, String> q, String name) {
        long v = longParam(q, name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new IllegalArgumentException(name + ": a whole number, got '" + q.get(name) + "'");
        return (int) v;
    }

    /** The id after {@code prefix} in the path, decoded; a missing id names {@code what}. */
    static String idAfter(HttpExchange ex, String prefix, String what) {
        String id = URLDecoder.decode(ex.getRequestURI().getPath().substring(prefix.length()), StandardCharsets.UTF_8);
        if (id.isBlank()) throw new IllegalArgumentException(what + " id missing");
        return id;
    }
}
