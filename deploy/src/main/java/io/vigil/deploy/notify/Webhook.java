package io.vigil.deploy.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One webhook: a JSON POST per event with
 * <pre>
 * Content-Type: application/json
 * Idempotency-Key / X-Vigil-Event-Id: topic:partition:offset   the same on every retry and redelivery
 * X-Vigil-Timestamp: SECONDS                                    when this attempt was sent (Unix time)
 * X-Vigil-Signature-256: sha256=HEX                              HMAC-SHA256 of "SECONDS.EVENT-ID.BODY" with the shared secret
 * </pre>
 * The signature covers the timestamp and the event id as well as the body (as Stripe and Slack sign theirs), so a
 * captured request cannot be replayed later or under another id: {@link #verify} is the receiver's check.
 */
public final class Webhook {
    /** What one attempt came to: delivered, worth retrying (network, timeout, 408, 429, 5xx), or refused for good (other 4xx). */
    public enum Outcome { DELIVERED, RETRY, REFUSED }

    public record Attempt(Outcome outcome, String detail) {}

    private final URI url;
    private final byte[] secret;
    private final HttpClient http;
    private final Duration timeout;

    /** @param secret the HMAC key, null for unsigned requests */
    public Webhook(URI url, String secret, Duration timeout) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--webhook " + display(url) + ": only http and https URLs");
        }
        this.url = url;
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public URI url() {
        return url;
    }

    /**
     * The URL as logs, dead letters and the console may show it: scheme, host and port, and the path's first segment;
     * the rest of the path, the query and any user info left out. Slack, Home Assistant and most incoming webhooks keep
     * their secret in the path, and whoever reads a log or the dead-letter topic must not be able to post with it.
     */
    public String display() {
        return display(url);
    }

    public static String display(URI u) {
        StringBuilder b = new StringBuilder().append(u.getScheme()).append("://").append(u.getHost());
        if (u.getPort() >= 0) b.append(':').append(u.getPort());
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        int second = path.indexOf('/', 1);
        if (path.length() > 1) b.append(second > 0 ? path.substring(0, second) + "/***" : "/***");
        if (u.getRawQuery() != null) b.append("?***");
        return b.toString();
    }

    public Attempt post(String eventId, byte[] body) throws InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .header("Idempotency-Key", eventId).header("X-Vigil-Event-Id", eventId).header("User-Agent", "vigil-notify")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            long ts = System.currentTimeMillis() / 1000;
            r.header("X-Vigil-Timestamp", Long.toString(ts)).header("X-Vigil-Signature-256", "sha256=" + sign(secret, signed(ts, eventId, body)));
        }
        try {
            int status = http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) return new Attempt(Outcome.DELIVERED, "HTTP " + status);
            if (status == 408 || status == 429 || status >= 500) return new Attempt(Outcome.RETRY, "HTTP " + status);
            return new Attempt(Outcome.REFUSED, "HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Attempt(Outcome.RETRY, "no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new Attempt(Outcome.RETRY, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** The bytes the signature covers: {@code SECONDS.EVENT-ID.} followed by the body. */
    public static byte[] signed(long timestampSeconds, String eventId, byte[] body) {
        byte[] head = (timestampSeconds + "." + eventId + ".").getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /** How far a receiver should let X-Vigil-Timestamp be from its own clock. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    /**
     * The receiver's check: the timestamp within {@code tolerance} of {@code nowSeconds} and the signature header equal
     * (in constant time) to the HMAC of {@code SECONDS.EVENT-ID.BODY}. A receiver remembers the event ids it has handled
     * for the tolerance window to refuse a replay inside it too (the id is the same on every retry of one event).
     */
    public static boolean verify(byte[] secret, String timestampHeader, String eventId, byte[] body, String signatureHeader,
                                 long nowSeconds, Duration tolerance) {
        if (timestampHeader == null || eventId == null || signatureHeader == null || !signatureHeader.startsWith("sha256=")) return false;
        long ts;
        try {
            ts = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(nowSeconds - ts) > tolerance.toSeconds()) return false;
        byte[] want = ("sha256=" + sign(secret, signed(ts, eventId, body))).getBytes(StandardCharsets.UTF_8);
        return java.security.MessageDigest.isEqual(want, signatureHeader.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex HMAC-SHA256 of {@code data} with {@code secret}. */
    public static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
