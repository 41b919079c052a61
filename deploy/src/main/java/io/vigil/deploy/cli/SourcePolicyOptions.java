package io.vigil.deploy.cli;

import io.vigil.video.source.SourcePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/** The source policy's flags, shared by the gateway and the dashboard (which checks a subscription before writing it). */
final class SourcePolicyOptions {
    @Option(names = "--media-dir", description = "allow video files under this directory (repeatable; no files without one)")
    List<Path> mediaDirs = new ArrayList<>();

    @Option(names = "--allow-scheme", split = ",", description = "also allow these schemes: udp, tcp (default: rtsp, rtsps, http, https, rtmp, srt, testsrc)")
    List<String> schemes = new ArrayList<>();

    @Option(names = "--allow-host", split = ",", description = "only these camera hosts (names, IPs or IPv4 CIDR blocks); default any")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--deny-host", split = ",", description = "never these hosts (names, IPs or IPv4 CIDR blocks), e.g. 169.254.0.0/16")
    List<String> denyHosts = new ArrayList<>();

    SourcePolicy policy() {
        Set<String> extra = new LinkedHashSet<>();
        for (String s : schemes) extra.add(s.trim().toLowerCase(Locale.ROOT));
        return SourcePolicy.defaults().withSchemes(extra).withMediaDirs(mediaDirs).withHosts(allowHosts, denyHosts);
    }
}
