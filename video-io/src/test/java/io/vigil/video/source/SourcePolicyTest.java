package io.vigil.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcePolicyTest {
    @TempDir
    Path tmp;

    private static void refused(SourcePolicy p, String source, String why) {
        String r = p.refusal(source);
        assertTrue(r != null && r.contains(why), source + " -> " + r);
    }

    @Test
    void defaultsAllowNetworkCamerasAndTheTestPatternOnly() {
        SourcePolicy p = SourcePolicy.defaults();
        for (String ok : List.of("rtsp://cam/s", "rtsps://u:pw@cam:322/s", "http://cam/mjpg", "https://cam/live.m3u8", "rtmp://h/app/key",
                "srt://h:9000", "testsrc", "testsrc:320x240@5")) {
            assertNull(p.refusal(ok), ok);
        }
        refused(p, "file:///etc/passwd", "files are not allowed");
        refused(p, "/etc/passwd", "files are not allowed");
        refused(p, "udp://0.0.0.0:1234", "scheme 'udp' is not allowed");
        refused(p, "tcp://127.0.0.1:9999?listen", "scheme 'tcp' is not allowed");
        refused(p, "concat:/etc/passwd|/etc/hosts", "FFmpeg protocol");
        refused(p, "subfile:,start,0,end,0,:/etc/passwd", "FFmpeg protocol");
        refused(p, "pipe:0", "FFmpeg protocol");
        refused(p, "gopher://h/x", "scheme 'gopher' is not allowed");
    }

    @Test
    void filesOnlyUnderTheMediaDirectoriesAfterDotsAndLinks() throws Exception {
        Path media = Files.createDirectories(tmp.resolve("media"));
        Path clip = Files.writeString(media.resolve("clip.avi"), "x");
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "s");
        Files.createSymbolicLink(media.resolve("link.avi"), outside);
        SourcePolicy p = SourcePolicy.defaults().withMediaDirs(List.of(media));
        assertNull(p.refusal(clip.toString()));
        assertNull(p.refusal(clip.toUri().toString()));
        refused(p, media + "/../secret.txt", "outside the media directories");
        refused(p, media.resolve("link.avi").toString(), "really " + outside.toRealPath());
        refused(p, "file:///etc/passwd", "outside the media directories");
        refused(p, media.toString(), "outside the media directories");
        refused(p, "concat:" + clip + "|" + outside, "FFmpeg protocol");
    }

    @Test
    void listeningSocketsAndHostRules() {
        SourcePolicy p = SourcePolicy.defaults().withSchemes(Set.of("tcp", "udp"));
        refused(p, "tcp://127.0.0.1:9999?listen", "listens");
        refused(p, "tcp://0.0.0.0:9999?listen=1&timeout=5", "listens");
        assertNull(p.refusal("tcp://10.1.2.3:9999"));
        SourcePolicy hosts = SourcePolicy.defaults().withHosts(List.of("cam.example", "localhost", "10.20.0.0/16"), List.of("169.254.0.0/16"));
        assertNull(hosts.refusal("rtsp://localhost/s"));
        // cam.example does not resolve here: whether it is in 169.254.0.0/16 cannot be told, so the deny rule refuses it
        refused(hosts, "rtsp://cam.example/s", "cannot be resolved to check the deny rule 169.254.0.0/16");
        assertNull(hosts.refusal("rtsp://10.20.3.4/s"));
        refused(hosts, "http://169.254.169.254/latest/meta-data", "is denied (169.254.0.0/16)");
        refused(hosts, "rtsp://10.21.0.1/s", "not in the allowed hosts");
        refused(hosts, "rtsp://[::1]/s", "not in the allowed hosts");
    }

    @Test
    void otherSpellingsAndOtherNamesOfADeniedAddressAreRefused() {
        SourcePolicy p = SourcePolicy.defaults().withHosts(List.of(), List.of("127.0.0.1", "169.254.169.254", "metadata.internal"));
        refused(p, "http://127.0.0.1/x", "is denied (127.0.0.1)");
        refused(p, "http://localhost/x", "is denied (127.0.0.1)"); // another name for it
        refused(p, "http://169.254.169.254./latest", "source policy: "); // a dotted quad with a trailing dot: no host Java will name
        refused(p, "http://METADATA.internal./x", "is denied (metadata.internal)");
        for (String numeric : new String[] {"0x7f000001", "2130706433", "127.1", "0177.0.0.1", "0xa9.254.169.254", "169.254.43518"}) {
            // refused either as a numeric spelling or because java.net.URI names no host in it; never let through
            String why = p.refusal("http://" + numeric + "/x");
            assertTrue(why != null && (why.contains("not written as a dotted quad") || why.contains("names no host")), numeric + ": " + why);
        }
        refused(p, "http://0x7f000001/x", "not written as a dotted quad");
        assertNull(p.refusal("rtsp://10.1.2.3/s"));
        assertNull(SourcePolicy.defaults().refusal("rtsp://cam.example/s"), "no rules: no resolving, nothing refused");
    }

    @Test
    void srtListenerAndRendezvousModesListenAndItsPassphraseIsRedacted() {
        SourcePolicy p = SourcePolicy.defaults();
        refused(p, "srt://0.0.0.0:9000?mode=listener", "listens");
        refused(p, "srt://10.1.2.3:9000?latency=200&mode=rendezvous", "listens");
        assertNull(p.refusal("srt://10.1.2.3:9000?mode=caller"));
        assertEquals("srt://10.1.2.3:9000?mode=caller&passphrase=***", Redaction.redact("srt://10.1.2.3:9000?mode=caller&passphrase=s3cretphrase"));
    }

    @Test
    void onlyTheTestPatternsOwnSyntaxIsTheTestPattern() {
        SourcePolicy p = SourcePolicy.defaults();
        assertNull(p.refusal("testsrc"));
        assertNull(p.refusal("testsrc:640x480@10"));
        refused(p, "testsrc/../../etc/passwd", "files are not allowed");
        refused(p, "testsrc.mp4", "files are not allowed");
    }
}
