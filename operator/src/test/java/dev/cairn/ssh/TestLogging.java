package dev.cairn.ssh;

import ch.qos.logback.classic.Level;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Keeps the SSH libraries' debug chatter out of the test output. */
public final class TestLogging {

    private TestLogging() {
    }

    public static void quietSshLibraries() {
        for (String noisy : List.of("org.apache.sshd", "net.schmizz", "com.hierynomus")) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.WARN);
        }
    }
}
