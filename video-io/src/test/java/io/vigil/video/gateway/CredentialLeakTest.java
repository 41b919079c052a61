package io.vigil.video.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.video.source.Redaction;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;

/**
 * Invalid camera specs whose URLs hold a password go through the path a record of vigil.cameras takes
 * ({@link CameraRegistry#handle}): the password appears in no log line (any logger, any level), no status event and
 * no exception message.
 */
class CredentialLeakTest {
    private static final String PASSWORD = "Zq7-S3cr3t";

    /** camera id -> the record's JSON. */
    private static Map<String, String> invalidSpecs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bad-fps", "{\"id\":\"bad-fps\",\"url\":\"rtsp://admin:" + PASSWORD + "@10.0.0.7/stream1\",\"fps\":-1}");
        m.put("bad-size", "{\"id\":\"bad-size\",\"url\":\"rtsp://admin:" + PASSWORD + "@cam/s\",\"maxWidth\":3,\"maxHeight\":-2}");
        m.put("bad-scheme", "{\"id\":\"bad-scheme\",\"url\":\"gopher://admin:" + PASSWORD + "@cam/s\"}");
        m.put("malformed-url", "{\"id\":\"malformed-url\",\"url\":\"rtsp://admin:" + PASSWORD + "@[::1/stream\"}");
        m.put("at-in-password", "{\"id\":\"at-in-password\",\"url\":\"rtsp://admin:p@" + PASSWORD + "/x@cam/s\",\"fps\":0}");
        m.put("query-password", "{\"id\":\"query-password\",\"url\":\"http://cam/mjpg?user=admin&password=" + PASSWORD + "\",\"fps\":5000}");
        m.put("missing-id", "{\"url\":\"rtsp://admin:" + PASSWORD + "@cam/s\",\"fps\":\"fast\"}");
        m.put("other-id", "{\"id\":\"rtsp://admin:" + PASSWORD + "@cam/s\",\"url\":\"rtsp://admin:" + PASSWORD + "@cam/s\"}");
        m.put("broken-json", "{\"id\":\"broken-json\",\"url\":\"rtsp://admin:" + PASSWORD + "@cam/s\",\"fps\":");
        m.put("unknown-field", "{\"id\":\"unknown-field\",\"url\":\"rtsp://admin:" + PASSWORD + "@cam/s\",\"pasword\":\"" + PASSWORD + "\"}");
        return m;
    }

    @Test
    void noPasswordInLogsStatusEventsOrExceptions() throws Exception {
        StringWriter log = new StringWriter();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName("leak-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build()).build();
        appender.start();
        LoggerConfig root = cfg.getRootLogger();
        Level before = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.ALL);
        ctx.updateLoggers();
        GatewayStatusTest.Statuses statuses = new GatewayStatusTest.Statuses();
        List<String> exceptions = new ArrayList<>();
        try (CameraGateway gw = new CameraGateway(new CameraGatewayTest.ListPublisher(), statuses, GatewayOptions.defaults())) {
            for (Map.Entry<String, String> e : invalidSpecs().entrySet()) {
                CameraRegistry.handle(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), gw);
                try {
                    CameraSpec.parse(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException ex) {
                    exceptions.add(ex.toString());
                }
            }
            // a reason that did not come through CameraSpec (the registry's catch-all, a gateway caller) is redacted too
            gw.reject("direct", "camera direct: fps must be > 0 in rtsp://u:" + PASSWORD + "@h/x");
        } finally {
            root.removeAppender("leak-capture");
            root.setLevel(before);
            ctx.updateLoggers();
            appender.stop();
        }
        assertEquals(invalidSpecs().size(), exceptions.size(), "every spec is invalid: " + exceptions);
        List<String> failed = statuses.events.stream().filter(s -> s.state() == CameraState.FAILED).map(CameraStatus::reason).toList();
        assertEquals(invalidSpecs().size() + 1, failed.size(), "one failed status per spec: " + statuses.events);
        String logText = log.toString();
        assertTrue(logText.contains("rejected"), "the rejections were logged: " + logText);
        assertFalse(logText.contains(PASSWORD), "password in the log:\n" + logText);
        for (String r : failed) assertFalse(r == null || r.contains(PASSWORD), "password in a status reason: " + r);
        for (String x : exceptions) assertFalse(x.contains(PASSWORD), "password in an exception: " + x);
        for (CameraStatus s : statuses.events) assertFalse(String.valueOf(s).contains(PASSWORD), "password in " + s);
    }

    @Test
    void redactionKeepsWhatIsNotSecret() {
        assertEquals("rtsp://admin:***@cam:554/s?channel=1", Redaction.redact("rtsp://admin:pw@cam:554/s?channel=1"));
        assertEquals("rtsp://admin:***@cam/s", Redaction.redact("rtsp://admin:p@ss/w@cam/s"));
        assertEquals("http://cam/mjpg?user=admin&password=***&fps=5", Redaction.redact("http://cam/mjpg?user=admin&password=x1&fps=5"));
        assertEquals("in \"rtsp://u:***@h/x\" and rtsp://h/y", Redaction.redact("in \"rtsp://u:pw@h/x\" and rtsp://h/y"));
        assertEquals("/media/cam@2x.mp4", Redaction.redact("/media/cam@2x.mp4"));
    }
}
