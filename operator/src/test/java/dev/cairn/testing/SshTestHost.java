package dev.cairn.testing;

import dev.cairn.ssh.ExecResult;
import dev.cairn.ssh.SshTarget;
import dev.cairn.ssh.TestKeys;
import dev.cairn.ssh.TestLogging;
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
import java.util.function.Function;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;

/**
 * The one in-process SSH host of the tests: a real Apache MINA SSH server on 127.0.0.1 and a
 * random port, so Cairn's commands arrive over SSH exactly as on a VM. It accepts exactly one
 * client public key (any user name) and records what it was asked to do. What answers is either
 * local bash ({@link #bash}: the SSH layer's own tests) or a Java function ({@link #scripted}:
 * reconciler tests of many hosts where nothing must really run, kubeadm reset on the test machine
 * least of all). {@code sudo -n <cmd>} is simulated: the prefix is stripped (we already are root)
 * or, with {@link #sudoAllowed} false, refused like sudo does when it needs a password.
 */
public final class SshTestHost implements AutoCloseable {

    static {
        TestLogging.quietSshLibraries();
    }

    private static final String SUDO = "sudo -n ";

    public final List<String> commands = new CopyOnWriteArrayList<>();
    public final AtomicInteger sessions = new AtomicInteger();
    public final AtomicInteger authAttempts = new AtomicInteger();
    public volatile boolean sudoAllowed = true;
    /** If set, a closed channel leaves its command running, as OpenSSH does without a terminal. */
    public volatile boolean keepsAbandonedCommands;
    /** If set, every command request appends its command line to this file before anything runs. */
    public volatile Path marker;

    private final SshServer sshd;

    private SshTestHost(PublicKey authorizedClientKey, Function<String, ExecResult> shell, KeyPair... hostKeys)
            throws IOException {
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
            if (command.startsWith(SUDO) && !sudoAllowed) {
                return new LocalBashCommand("echo 'sudo: a password is required' >&2; exit 1");
            }
            String line = command.startsWith(SUDO) ? command.substring(SUDO.length()) : command;
            return shell == null ? new LocalBashCommand(line, keepsAbandonedCommands) : new ScriptedCommand(line, shell);
        });
        sshd.start();
    }

    /** A host whose commands really run in local bash, with these host keys. */
    public static SshTestHost bash(PublicKey authorizedClientKey, KeyPair... hostKeys) throws IOException {
        return new SshTestHost(authorizedClientKey, null, hostKeys);
    }

    /** @param shell answers one script (the body Cairn sends to {@code bash -s}); a fresh ed25519 host key */
    public static SshTestHost scripted(PublicKey authorizedClientKey, Function<String, ExecResult> shell)
            throws Exception {
        return new SshTestHost(authorizedClientKey, shell, TestKeys.ed25519());
    }

    public int port() {
        return sshd.getPort();
    }

    public SshTarget target(String user) {
        return new SshTarget("127.0.0.1", port(), user);
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
