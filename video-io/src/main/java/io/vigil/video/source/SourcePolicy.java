package io.vigil.video.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which camera sources a gateway opens, so that a camera spec (from {@code vigil.cameras} or the dashboard) cannot be
 * turned against the gateway's host: a local file read out through the frames topic, a socket that listens, a request
 * to an internal host.
 *
 * <ul>
 *   <li>schemes: rtsp, rtsps, http, https, rtmp, srt and testsrc by default; udp, tcp and files only when allowed;</li>
 *   <li>files only under the configured media directories, after resolving {@code ..} and symbolic links;</li>
 *   <li>no FFmpeg protocol prefixes in place of a path ({@code concat:}, {@code subfile:}, {@code pipe:}, {@code data:} ...);</li>
 *   <li>no source that listens ({@code ?listen}) instead of connecting;</li>
 *   <li>optionally, hosts: an allow list (only these) and a deny list (never these), names or IPv4/IPv6 literals or
 *       IPv4 CIDR blocks.</li>
 * </ul>
 *
 * {@link VideoSource} also hands FFmpeg a {@code protocol_whitelist} per scheme ({@link #ffmpegProtocols}), so an HLS
 * playlist or a redirect cannot reach {@code file:} or another protocol once the URL passed this check.
 */
public record SourcePolicy(Set<String> schemes, List<Path> mediaDirs, List<String> allowHosts, List<String> denyHosts) {
    /** The schemes allowed when nothing is configured. */
    public static final Set<String> DEFAULT_SCHEMES = Set.of("rtsp", "rtsps", "http", "https", "rtmp", "srt", "testsrc");
    /** What a policy may allow on top: raw sockets and files. */
    public static final Set<String> KNOWN_SCHEMES = Set.of("rtsp", "rtsps", "http", "https", "rtmp", "srt", "testsrc", "udp", "tcp", "file");
    private static final Pattern PROTOCOL_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(?!//).*");
    /** FFmpeg's listen option, and SRT's listener and rendezvous modes (which wait for a peer instead of calling one). */
    private static final Pattern LISTEN = Pattern.compile("(?i)[?&](listen(=|&|$)|mode=(listener|rendezvous|server)(&|$))");

    public SourcePolicy {
        schemes = Set.copyOf(schemes);
        for (String s : schemes) {
            if (!KNOWN_SCHEMES.contains(s)) throw new IllegalArgumentException("source policy: unknown scheme '" + s + "' (known: " + KNOWN_SCHEMES + ")");
        }
        List<Path> dirs = new ArrayList<>();
        for (Path d : mediaDirs) dirs.add(d.toAbsolutePath().normalize());
        mediaDirs = List.copyOf(dirs);
        allowHosts = List.copyOf(allowHosts);
        denyHosts = List.copyOf(denyHosts);
    }

    /** The default: network cameras and the test pattern; no files, no raw sockets, every host. */
    public static SourcePolicy defaults() {
        return new SourcePolicy(DEFAULT_SCHEMES, List.of(), List.of(), List.of());
    }

    /** Files under these directories too (and the {@code file} scheme). */
    public SourcePolicy withMediaDirs(List<Path> dirs) {
        Set<String> s = new LinkedHashSet<>(schemes);
        if (!dirs.isEmpty()) s.add("file");
        return new SourcePolicy(s, dirs, allowHosts, denyHosts);
    }

    public SourcePolicy withSchemes(Set<String> more) {
        Set<String> s = new LinkedHashSet<>(schemes);
        s.addAll(more);
        return new SourcePolicy(s, mediaDirs, allowHosts, denyHosts);
    }

    public SourcePolicy withHosts(List<String> allow, List<String> deny) {
        return new SourcePolicy(schemes, mediaDirs, allow, deny);
    }

    /** Why {@code source} may not be opened, naming the rule; null when it may. */
    public String refusal(String source) {
        if (source == null || source.isBlank()) return "the source is empty";
        String s = source.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        // the test pattern only in its exact syntax: "testsrc../x" or "testsrc.mp4" is a file path, judged as one below
        if (SourceSpec.isTestPattern(s)) return schemes.contains("testsrc") ? null : "source policy: scheme 'testsrc' is not allowed";
        int sep = s.indexOf("://");
        if (sep < 0 && PROTOCOL_PREFIX.matcher(s).matches() && !looksLikeWindowsDrive(s)) {
            return "source policy: '" + s.substring(0, s.indexOf(':') + 1) + "' is an FFmpeg protocol, not a camera source (refused)";
        }
        if (sep < 0) return file(Path.of(s));
        String scheme = lower.substring(0, sep);
        if (scheme.equals("file")) {
            try {
                return file(Path.of(URI.create(s)));
            } catch (IllegalArgumentException e) {
                return "source policy: bad file URL: " + e.getMessage();
            }
        }
        if (!schemes.contains(scheme)) {
            return "source policy: scheme '" + scheme + "' is not allowed (allowed: " + String.join(", ", schemes.stream().sorted().toList()) + ")";
        }
        if (LISTEN.matcher(s).find()) return "source policy: a source that listens for connections is refused (a camera source connects)";
        String host;
        try {
            host = URI.create(s).getHost();
        } catch (IllegalArgumentException e) {
            return "source policy: malformed URL: " + Redaction.redact(e.getMessage());
        }
        if (host == null || host.isBlank()) return "source policy: the URL names no host";
        return hostRefusal(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    }

    private String file(Path p) {
        if (!schemes.contains("file") || mediaDirs.isEmpty()) {
            return "source policy: files are not allowed (give the gateway --media-dir DIR to allow the files under it)";
        }
        Path abs = p.toAbsolutePath().normalize();
        Path real;
        try {
            // symbolic links resolved: a link inside a media directory must not lead out of it
            real = Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            return "source policy: cannot resolve " + abs + ": " + e.getMessage();
        }
        for (Path d : mediaDirs) {
            Path dr;
            try {
                dr = Files.exists(d) ? d.toRealPath() : d;
            } catch (IOException e) {
                continue;
            }
            if (real.startsWith(dr) && !real.equals(dr)) return null;
        }
        return "source policy: " + abs + (real.equals(abs) ? "" : " (really " + real + ")") + " is outside the media directories " + mediaDirs;
    }

    private String hostRefusal(String rawHost) {
        String host = canonical(rawHost);
        if (NUMERIC.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            // 0x7f000001, 2130706433, 127.1, 0177.0.0.1: the system resolver reads these as addresses Java's rules never see
            return "source policy: host " + rawHost + " is a numeric address not written as a dotted quad (refused: write it a.b.c.d)";
        }
        String unknown = null;
        for (String d : denyHosts) {
            Boolean m = matchesOrUnknown(host, d);
            if (m == null && unknown == null) unknown = d;
            if (Boolean.TRUE.equals(m)) return "source policy: host " + rawHost + " is denied (" + d + ")";
        }
        if (unknown != null) return "source policy: host " + rawHost + " cannot be resolved to check the deny rule " + unknown + " (refused: a deny rule fails closed)";
        if (allowHosts.isEmpty()) return null;
        for (String a : allowHosts) if (Boolean.TRUE.equals(matchesOrUnknown(host, a))) return null;
        return "source policy: host " + rawHost + " is not in the allowed hosts " + allowHosts;
    }

    private static final Pattern NUMERIC = Pattern.compile("(?i)[0-9a-fx.]+") ;
    private static final Pattern DOTTED_QUAD = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** Lower case, without the trailing dot of a fully qualified name. */
    static String canonical(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    /** Host name (case-insensitive), IP literal, or IPv4 CIDR block {@code a.b.c.d/n}, which also matches names resolving into it. */
    static boolean matches(String host, String rule) {
        return Boolean.TRUE.equals(matchesOrUnknown(canonical(host), rule));
    }

    /**
     * As {@link #matches}; null when the answer needs the host's addresses and it does not resolve. An IP literal rule
     * is its own /32 (or /128), so another name for the address matches it too.
     */
    private static Boolean matchesOrUnknown(String host, String rawRule) {
        String rule = canonical(rawRule);
        if (rule.equals(host)) return true;
        int slash = rule.indexOf('/');
        boolean literal = slash < 0 && (DOTTED_QUAD.matcher(rule).matches() || rule.contains(":"));
        if (slash < 0 && !literal) return false;
        try {
            byte[] net = InetAddress.getByName(slash < 0 ? rule : rule.substring(0, slash)).getAddress();
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(rule.substring(slash + 1));
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                return null;
            }
            for (InetAddress a : addresses) {
                byte[] ip = a.getAddress();
                if (ip.length != net.length) continue;
                boolean in = true;
                for (int i = 0; i < bits && in; i++) in = ((ip[i / 8] >> (7 - i % 8)) & 1) == ((net[i / 8] >> (7 - i % 8)) & 1);
                if (in) return true;
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return false; // the rule itself is not an address: it matches by name only
        }
        return false;
    }

    private static boolean looksLikeWindowsDrive(String s) {
        return s.length() > 2 && Character.isLetter(s.charAt(0)) && s.charAt(1) == ':' && (s.charAt(2) == '\\' || s.charAt(2) == '/');
    }

    /**
     * FFmpeg's {@code protocol_whitelist} for a source of {@code scheme}: what the stream itself and anything it refers to
     * (HLS segments, redirects, RTP over UDP) may use.
     */
    public static String ffmpegProtocols(String scheme) {
        return switch (scheme) {
            case "rtsp" -> "rtsp,rtp,srtp,udp,tcp";
            case "rtsps" -> "rtsps,rtsp,rtp,srtp,udp,tcp,tls";
            case "http", "https" -> "http,https,tcp,tls,crypto";
            case "rtmp" -> "rtmp,rtmps,tcp,tls";
            case "srt" -> "srt,udp";
            case "udp" -> "udp,rtp";
            case "tcp" -> "tcp";
            default -> "file";
        };
    }
}
