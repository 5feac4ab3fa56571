package dev.cairn.ssh;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Keeps the SSH libraries' debug chatter out of the test output; captures what a class logs. */
public final class TestLogging {

    private TestLogging() {
    }

    public static void quietSshLibraries() {
        for (String noisy : List.of("org.apache.sshd", "net.schmizz", "com.hierynomus")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.WARN);
        }
    }

    /** Collects what {@code owner}'s logger logs from now on; {@link #release} when done. */
    public static ListAppender<ILoggingEvent> capture(Class<?> owner) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(owner)).addAppender(appender);
        return appender;
    }

    public static void release(Class<?> owner, ListAppender<ILoggingEvent> appender) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(owner)).detachAppender(appender);
        appender.stop();
    }
}
