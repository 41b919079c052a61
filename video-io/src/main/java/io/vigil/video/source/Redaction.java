package io.vigil.video.source;

import java.util.regex.Pattern;

/** Hides passwords in URLs before they reach a log line, an event or an error message. */
public final class Redaction {
    private static final Pattern USERINFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^:@/]*):[^@/]*@");

    private Redaction() {}

    /** {@code rtsp://user:pass@host/x} becomes {@code rtsp://user:***@host/x}. */
    public static String redact(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("${scheme}${user}:***@");
    }
}
