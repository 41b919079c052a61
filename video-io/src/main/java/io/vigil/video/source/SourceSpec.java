package io.vigil.video.source;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a camera's pictures come from: a video file, a network stream (rtsp, http, https, rtmp, udp, tcp),
 * or FFmpeg's generated test pattern. Parsed from the one string users write:
 * {@code /videos/lobby.mp4}, {@code rtsp://host/cam}, {@code testsrc} or {@code testsrc:640x480@10}.
 */
public record SourceSpec(Kind kind, String location, int testWidth, int testHeight, double testFps) {
    public enum Kind { FILE, URL, TESTSRC }

    /** Whether {@code s} is the test pattern as {@link #parse} reads it (anything else starting with "testsrc" is a path). */
    public static boolean isTestPattern(String s) {
        return s != null && TESTSRC.matcher(s.trim().toLowerCase(Locale.ROOT)).matches();
    }

    private static final Pattern TESTSRC = Pattern.compile("testsrc(?::(\\d+)x(\\d+)(?:@(\\d+(?:\\.\\d+)?))?)?");

    public static SourceSpec parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("source is empty");
        String s = text.trim();
        Matcher m = TESTSRC.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            int w = m.group(1) == null ? 640 : Integer.parseInt(m.group(1));
            int h = m.group(2) == null ? 480 : Integer.parseInt(m.group(2));
            double fps = m.group(3) == null ? 10 : Double.parseDouble(m.group(3));
            if (w <= 0 || h <= 0 || fps <= 0) throw new IllegalArgumentException("bad testsrc size or rate: " + s);
            return new SourceSpec(Kind.TESTSRC, s, w, h, fps);
        }
        int colon = s.indexOf("://");
        if (colon > 0) {
            String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "rtsp", "rtsps", "http", "https", "rtmp", "udp", "tcp", "srt" -> {
                    URI.create(s); // rejects malformed URLs early, with the JDK's message
                    return new SourceSpec(Kind.URL, s, 0, 0, 0);
                }
                case "file" -> { return new SourceSpec(Kind.FILE, Path.of(URI.create(s)).toString(), 0, 0, 0); }
                default -> throw new IllegalArgumentException("unsupported source scheme '" + scheme
                        + "' in " + Redaction.redact(s) + ": use rtsp, http(s), rtmp, udp, tcp, srt, a file path or testsrc");
            }
        }
        return new SourceSpec(Kind.FILE, s, 0, 0, 0);
    }

    /** The location safe to print: credentials in URLs are replaced by {@code ***}. */
    public String display() {
        return kind == Kind.URL ? Redaction.redact(location) : location;
    }

    @Override
    public String toString() {
        return display();
    }
}
