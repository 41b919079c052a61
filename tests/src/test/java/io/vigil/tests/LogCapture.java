package io.vigil.tests;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.Level;

/** Captures every log line of this JVM (all loggers, all levels from DEBUG) while open. */
final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final Appender appender;
    private final LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    private final Level oldLevel;

    LogCapture() {
        Configuration cfg = ctx.getConfiguration();
        appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%c %m %ex%n").build(), null, out, "capture", false, true);
        appender.start();
        LoggerConfig root = cfg.getRootLogger();
        oldLevel = root.getLevel();
        root.addAppender(appender, Level.DEBUG, null);
        for (LoggerConfig lc : cfg.getLoggers().values()) if (lc != root) lc.addAppender(appender, Level.DEBUG, null);
        ctx.updateLoggers();
    }

    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        Configuration cfg = ctx.getConfiguration();
        for (LoggerConfig lc : cfg.getLoggers().values()) lc.removeAppender("capture");
        cfg.getRootLogger().removeAppender("capture");
        cfg.getRootLogger().setLevel(oldLevel);
        ctx.updateLoggers();
        appender.stop();
    }
}
