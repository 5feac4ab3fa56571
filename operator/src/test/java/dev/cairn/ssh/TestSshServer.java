package dev.cairn.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;

/**
 * An in-process Apache MINA SSH server on 127.0.0.1 and a random port. It accepts exactly one
 * client public key (any user name), runs exec requests with local bash, and records what it was
 * asked to do. {@code sudo -n <cmd>} is simulated: the prefix is stripped (we already are root) or,
 * with {@link #sudoAllowed} false, refused like sudo does when it needs a password.
 */
final class TestSshServer implements AutoCloseable {

    static {
        TestLogging.quietSshLibraries();
    }

    private static final String SUDO = "sudo -n ";

    final List<String> commands = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();
    final AtomicInteger authAttempts = new AtomicInteger();
    volatile boolean sudoAllowed = true;
    /** If set, a closed channel leaves its command running, as OpenSSH does without a terminal. */
    volatile boolean keepsAbandonedCommands;
    /** If set, every command request appends its command line to this file before anything runs. */
    volatile Path marker;

    private final SshServer sshd;

    private TestSshServer(PublicKey authorizedClientKey, KeyPair... hostKeys) throws IOException {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator((user, key, session) -> {
            authAttempts.incrementAndGet();
            return KeyUtils.compareKeys(key, authorizedClientKey);
        });
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        sshd.setCommandFactory((channel, command) -> {
            commands.add(command);
            Path m = marker;
            if (m != null) {
                Files.writeString(m, command + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            if (command.startsWith(SUDO)) {
                if (!sudoAllowed) {
                    return new LocalBashCommand("echo 'sudo: a password is required' >&2; exit 1");
                }
                return new LocalBashCommand(command.substring(SUDO.length()), keepsAbandonedCommands);
            }
            return new LocalBashCommand(command, keepsAbandonedCommands);
        });
        sshd.start();
    }

    static TestSshServer start(PublicKey authorizedClientKey, KeyPair... hostKeys) throws IOException {
        return new TestSshServer(authorizedClientKey, hostKeys);
    }

    int port() {
        return sshd.getPort();
    }

    SshTarget target(String user) {
        return new SshTarget("127.0.0.1", port(), user);
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
