package io.vigil.video.source;

import java.util.regex.Pattern;

/**
 * Hides credentials in text built from a camera spec before it reaches a log line, an event, an error message or a
 * reply: the password of a URL's user info ({@code rtsp://user:pass@host}, even a password holding {@code @} or
 * {@code /}, which only a malformed URL has) and the values of credential-like query parameters
 * ({@code ?password=}, {@code token=}, ...). It errs on the side of hiding: text between the user name and the last
 * {@code @} of the URL goes.
 */
public final class Redaction {
    /** scheme://user:ANYTHING-WITHOUT-SPACES-UP-TO-THE-LAST-@ of the token. */
    private static final Pattern USERINFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?<user>[^:@/\\s\"']*):[^\\s\"']*@");
    private static final Pattern QUERY_SECRET = Pattern.compile(
            "(?i)(?<key>[?&;](?:password|passwd|pwd|pass|passphrase|secret|token|access_token|api_?key|apikey|auth|key|sig|signature|streamid)=)[^&#\\s\"']*");

    private Redaction() {}

    /** {@code rtsp://user:pass@host/x?token=t} becomes {@code rtsp://user:***@host/x?token=***}. */
    public static String redact(String text) {
        if (text == null) return null;
        String t = USERINFO.matcher(text).replaceAll("${scheme}${user}:***@");
        return QUERY_SECRET.matcher(t).replaceAll("${key}***");
    }
}
