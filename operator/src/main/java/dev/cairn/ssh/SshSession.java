package dev.cairn.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated SSH connection to a machine, reused for all the commands of a reconciliation.
 *
 * <p>Opening a session checks everything that can be checked before doing work: the private key
 * parses, the host key is trusted (see {@link HostKeyPolicy}; on a mismatch we neither log in nor
 * run anything), the login works, and for a non-root user that {@code sudo -n} works. Each problem
 * is reported as an {@link SshException} with a distinct {@link SshFailure}, so the user is told
 * precisely what to fix.
 *
 * <p>Scripts are sent on standard input of {@code bash -s} (or {@code sudo -n bash -s}), never on
 * the command line, so secrets inside them do not show up in the remote process list or in the
 * sshd/sudo logs. Scripts and uploaded content are never logged here.
 *
 * <p>A session is meant to be used by one reconciliation at a time; {@link #exec} calls are
 * serialized.
 */
public final class SshSession implements AutoCloseable {

    /** How long after our timeout the host itself stops an abandoned script. */
    static final Duration REMOTE_GRACE = Duration.ofSeconds(3);
    /** How long the host waits after TERM before it KILLs an abandoned script. */
    static final Duration REMOTE_KILL_AFTER = Duration.ofSeconds(10);

    /** Timeout of {@link #upload(byte[], String, String)}. */
    public static final Duration DEFAULT_UPLOAD_TIMEOUT = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(SshSession.class);
    private static final Pattern OCTAL_MODE = Pattern.compile("[0-7]{3,4}");
    private static final int KEEP_ALIVE_SECONDS = 10;
    private static final int KEEP_ALIVE_MISSES = 4;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final SshTarget target;
    private final SSHClient client;
    private final PublicKey hostKey;
    private final ExecutorService pumps;
    private final RemoteExec remote;
    private final Redactor redactor;

    private SshSession(SshTarget target, SSHClient client, PublicKey hostKey, Redactor redactor) {
        this.target = target;
        this.client = client;
        this.hostKey = hostKey;
        this.redactor = redactor;
        this.pumps = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cairn-ssh-io-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.remote = new RemoteExec(client, pumps);
    }

    /**
     * Connects, verifies the host key, logs in with the private key and, for non-root users, checks
     * that passwordless sudo works.
     *
     * @param connectTimeout bound for the TCP connect and for each protocol step (key exchange,
     *     authentication, opening a channel, the sudo check)
     * @throws SshException with {@link SshFailure#BAD_KEY}, {@link SshFailure#UNREACHABLE},
     *     {@link SshFailure#HOST_KEY_MISMATCH}, {@link SshFailure#AUTH_FAILED},
     *     {@link SshFailure#SUDO_DENIED} or {@link SshFailure#TRANSPORT}
     */
    public static SshSession open(SshTarget target, SshCredentials creds, HostKeyPolicy policy, Duration connectTimeout)
            throws SshException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(creds, "creds");
        Objects.requireNonNull(policy, "policy");
        int timeoutMs = positiveMillis(connectTimeout, "connectTimeout");
        Redactor redactor = new Redactor().register(creds.passphraseOrNull()).register(creds.privateKeyOpenSsh());

        DefaultConfig config = new DefaultConfig();
        // keepalive@openssh.com requests that want a reply: a peer that stops answering (a guest
        // rebooting behind a NAT port forward keeps the TCP connection open) ends the transport
        // after KEEP_ALIVE_MISSES intervals, which wakes every wait on it
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        boolean success = false;
        try {
            KeyProvider keys = loadKeys(client, creds);
            HostKeyCheck hostKeyCheck = new HostKeyCheck(policy);
            client.addHostKeyVerifier(hostKeyCheck);
            client.setConnectTimeout(timeoutMs);
            client.getTransport().setTimeoutMs(timeoutMs);
            client.getConnection().setTimeoutMs(timeoutMs);
            // keeps idle connections (a long silent kubeadm step) from being dropped by NAT and
            // firewalls; sshj starts the keep-alive thread during connect, so it is set before
            client.getConnection().getKeepAlive().setKeepAliveInterval(KEEP_ALIVE_SECONDS);
            ((KeepAliveRunner) client.getConnection().getKeepAlive()).setMaxAliveCount(KEEP_ALIVE_MISSES);
            connect(client, target, hostKeyCheck, redactor);
            authenticate(client, target, keys, redactor);

            SshSession session = new SshSession(target, client, hostKeyCheck.accepted(), redactor);
            logAccepted(target, policy, session);
            if (!target.isRoot()) {
                session.checkSudo(connectTimeout);
            }
            success = true;
            return session;
        } finally {
            if (!success) {
                closeQuietly(client);
            }
        }
    }

    /**
     * Runs a bash script as root ({@code bash -s}, or {@code sudo -n bash -s} for other users) and
     * waits for it. The script is fully read and parsed before any of it runs, and its commands get
     * an empty stdin, just like {@code bash -c}; start it with {@code set -euo pipefail} to stop at the
     * first error.
     *
     * <p>A non-zero exit is reported in the result, not thrown. If the script is still running after
     * {@code timeout}, its channel is closed and the result has {@code timedOut == true} and exit
     * code -1; the session stays usable. The host stops the script itself a few seconds later
     * (see {@link #remoteDeadline}), since OpenSSH ignores the signal request we send.
     *
     * @throws SshException ({@link SshFailure#TRANSPORT}) only if the connection failed
     */
    public synchronized ExecResult exec(String script, Duration timeout) throws SshException {
        Objects.requireNonNull(script, "script");
        positiveMillis(timeout, "timeout");
        // The braces make bash parse the whole script before running it, so a script cut off in
        // transit is a syntax error and runs not at all. The redirect keeps the script's commands
        // from reading (and eating) the rest of the script from stdin.
        String wrapped = "{\n" + script + "\n} </dev/null\n";
        return run(asRoot(remoteDeadline(timeout) + "bash -s"), wrapped.getBytes(StandardCharsets.UTF_8), timeout);
    }

    /**
     * The host's own deadline for a script, a little after ours. Closing the channel on our
     * timeout does not stop the script: OpenSSH signals nothing to a command without a terminal,
     * so an abandoned script would keep running, and each retry would add one more to a host that
     * is already too slow. {@code timeout} signals the script's whole process group, and kills
     * what ignores the TERM.
     */
    static String remoteDeadline(Duration timeout) {
        long seconds = (timeout.toMillis() + 999) / 1000 + REMOTE_GRACE.toSeconds();
        return "timeout -k " + REMOTE_KILL_AFTER.toSeconds() + " " + seconds + " ";
    }

    /**
     * Writes a file atomically with {@link #DEFAULT_UPLOAD_TIMEOUT}; see
     * {@link #upload(byte[], String, String, Duration)}.
     */
    public void upload(byte[] content, String remotePath, String octalMode) throws SshException, RemoteCommandException {
        upload(content, remotePath, octalMode, DEFAULT_UPLOAD_TIMEOUT);
    }

    /**
     * Writes {@code content} to {@code remotePath} (as root), atomically and with the given mode:
     * readers see the old file or the complete new one, never a partial file, and the file is
     * never readable by others before its mode is set. Missing parent directories are created
     * (mode 0755). The bytes are streamed over the channel's stdin and never appear on a command
     * line or in logs, so this is the way to install keys, certificates and tokens.
     *
     * @param remotePath absolute path of the file
     * @param octalMode permission bits, e.g. {@code "0600"} or {@code "644"}
     * @throws RemoteCommandException if writing failed on the machine (no space, read-only file
     *     system, timeout...)
     * @throws SshException ({@link SshFailure#TRANSPORT}) if the connection failed
     */
    public synchronized void upload(byte[] content, String remotePath, String octalMode, Duration timeout)
            throws SshException, RemoteCommandException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(octalMode, "octalMode");
        if (!remotePath.startsWith("/") || remotePath.endsWith("/")) {
            throw new IllegalArgumentException("remotePath must be an absolute file path: " + remotePath);
        }
        if (!OCTAL_MODE.matcher(octalMode).matches()) {
            throw new IllegalArgumentException("octalMode must be 3 or 4 octal digits: " + octalMode);
        }
        positiveMillis(timeout, "timeout");
        // Unlike exec, the script goes on the command line here so that stdin carries only the
        // content. The script holds nothing secret: just the path, the mode and the size.
        String script = uploadScript(remotePath, octalMode, content.length);
        ExecResult result = run(asRoot("bash -c " + Shell.quote(script)), content, timeout);
        if (!result.ok()) {
            ExecResult redacted = result.redacted(redactor);
            throw new RemoteCommandException("writing " + remotePath + " on " + target + " failed ("
                    + (result.timedOut() ? "timed out" : "exit " + result.exitCode()) + "): " + redacted.tail(500),
                    redacted);
        }
        log.debug("ssh {}: wrote {} ({} bytes, mode {})", target, remotePath, content.length, octalMode);
    }

    /**
     * The script behind {@link #upload}: content arrives on stdin, lands in a private temporary file
     * next to the destination and is renamed over it (atomic on one file system) only once its mode
     * is set and its size is right. The size check matters: when a connection drops or a timeout
     * closes the channel, the remote side sees a plain end-of-file, and a truncated file must not be
     * installed.
     */
    static String uploadScript(String remotePath, String octalMode, long size) {
        return String.join("\n",
                "set -eu",
                "umask 077",
                "dest=" + Shell.quote(remotePath),
                "dir=$(dirname -- \"$dest\")",
                "(umask 022 && mkdir -p -- \"$dir\")",
                "tmp=$(mktemp \"$dir/.cairn-upload.XXXXXX\")",
                "trap 'rm -f -- \"$tmp\"' EXIT",
                "trap 'exit 129' HUP INT PIPE TERM",
                "cat > \"$tmp\"",
                "size=$(wc -c < \"$tmp\")",
                "if [ \"$size\" -ne " + size + " ]; then",
                "  echo \"received $size of " + size + " bytes; not installing $dest\" >&2",
                "  exit 1",
                "fi",
                "chmod " + Shell.quote(octalMode) + " \"$tmp\"",
                "mv -f -- \"$tmp\" \"$dest\"",
                "trap - EXIT");
    }

    /** The SHA256 fingerprint of the host key the server presented, to record in status. */
    public String hostKeyFingerprint() {
        return SshKeys.fingerprint(hostKey);
    }

    /** The server's host key as an OpenSSH public key line (no comment), to record in status. */
    public String hostKey() {
        return SshKeys.toOpenSshLine(hostKey);
    }

    /** The machine this session is connected to. */
    public SshTarget target() {
        return target;
    }

    /** True while the connection is up and authenticated. */
    public boolean isOpen() {
        return client.isConnected() && client.isAuthenticated();
    }

    /** Disconnects. Never throws; closing twice is harmless. */
    @Override
    public void close() {
        pumps.shutdownNow();
        closeQuietly(client);
    }

    @Override
    public String toString() {
        return "SshSession[" + target + ", hostKey=" + hostKeyFingerprint() + "]";
    }

    private String asRoot(String command) {
        return target.isRoot() ? command : "sudo -n " + command;
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout) throws SshException {
        if (!isOpen()) {
            throw new SshException(SshFailure.TRANSPORT, "connection to " + target + " is closed");
        }
        try {
            ExecResult result = remote.run(command, stdin, timeout);
            log.debug("ssh {}: command finished with exit code {}{} after {} ms", target, result.exitCode(),
                    result.timedOut() ? " (timed out)" : "", result.took().toMillis());
            return result;
        } catch (IOException e) {
            throw new SshException(SshFailure.TRANSPORT,
                    "connection to " + target + " failed while running a command: " + describe(e, redactor), e);
        } catch (IllegalStateException e) {
            // sshj's "Not connected": the connection dropped between isOpen() and the new channel
            throw new SshException(SshFailure.TRANSPORT, "connection to " + target + " was lost", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(SshFailure.TRANSPORT, "interrupted while running a command on " + target);
        }
    }

    private void checkSudo(Duration timeout) throws SshException {
        ExecResult result = run("sudo -n true", new byte[0], timeout);
        if (!result.ok()) {
            String why = result.timedOut() ? "timed out" : result.redacted(redactor).tail(300).strip();
            throw new SshException(SshFailure.SUDO_DENIED, "user '" + target.user() + "' cannot run 'sudo -n' on "
                    + target.address() + "; passwordless sudo is required: " + why);
        }
    }

    /** Parses the key now, so a bad key or passphrase is reported as such and not as an auth failure. */
    private static KeyProvider loadKeys(SSHClient client, SshCredentials creds) throws SshException {
        try {
            KeyProvider keys = client.loadKeys(creds.privateKeyOpenSsh(), null, passwordFinder(creds));
            keys.getPrivate();
            keys.getPublic();
            return keys;
        } catch (IOException | RuntimeException e) {
            // The cause is deliberately dropped: parser messages may quote parts of the key.
            throw new SshException(SshFailure.BAD_KEY, creds.hasPassphrase()
                    ? "the SSH private key could not be read; is the passphrase right? (" + e.getClass().getSimpleName() + ")"
                    : "the SSH private key could not be read; it must be an unencrypted OpenSSH or PEM private key,"
                            + " or a passphrase must be given (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PasswordFinder passwordFinder(SshCredentials creds) {
        if (!creds.hasPassphrase()) {
            return null;
        }
        return new PasswordFinder() {
            @Override
            public char[] reqPassword(Resource<?> resource) {
                return creds.passphraseOrNull().toCharArray();
            }

            @Override
            public boolean shouldRetry(Resource<?> resource) {
                return false;
            }
        };
    }

    private static void connect(SSHClient client, SshTarget target, HostKeyCheck hostKeyCheck, Redactor redactor)
            throws SshException {
        try {
            // A port that accepts but never speaks SSH (a guest rebooting behind a forwarder, a
            // half-dead sshd) would block the identification read forever: bound the handshake,
            // then lift the bound, since a long silent command is normal afterwards.
            client.setTimeout(client.getConnectTimeout());
            client.connect(target.address(), target.port());
            client.getSocket().setSoTimeout(0);
        } catch (IOException e) {
            PublicKey refused = hostKeyCheck.rejected();
            if (refused != null || isHostKeyRefusal(e)) {
                throw new SshException(SshFailure.HOST_KEY_MISMATCH, target.address() + ":" + target.port()
                        + " presented host key " + (refused == null ? "(unknown)" : SshKeys.fingerprint(refused))
                        + ", which does not match the " + hostKeyCheck.policy()
                        + "; not logging in. If the machine was reinstalled, confirm the new key with the annotation"
                        + " cairn.dev/accept-new-host-key");
            }
            if (e instanceof ConnectException || e instanceof NoRouteToHostException
                    || e instanceof SocketTimeoutException || e instanceof UnknownHostException) {
                throw new SshException(SshFailure.UNREACHABLE,
                        "cannot reach " + target.address() + ":" + target.port() + ": " + describe(e, redactor), e);
            }
            throw new SshException(SshFailure.TRANSPORT,
                    "SSH handshake with " + target.address() + ":" + target.port() + " failed: " + describe(e, redactor), e);
        }
    }

    private static boolean isHostKeyRefusal(IOException e) {
        return e instanceof TransportException te && te.getDisconnectReason() == DisconnectReason.HOST_KEY_NOT_VERIFIABLE;
    }

    private static void authenticate(SSHClient client, SshTarget target, KeyProvider keys, Redactor redactor)
            throws SshException {
        try {
            client.authPublickey(target.user(), keys);
        } catch (UserAuthException e) {
            throw new SshException(SshFailure.AUTH_FAILED, "the server " + target.address() + " refused the SSH key for user '"
                    + target.user() + "': " + describe(e, redactor), e);
        } catch (IOException e) {
            throw new SshException(SshFailure.TRANSPORT,
                    "connection to " + target + " failed during authentication: " + describe(e, redactor), e);
        }
    }

    private static void logAccepted(SshTarget target, HostKeyPolicy policy, SshSession session) {
        if (policy instanceof HostKeyPolicy.AcceptNewOnce acceptNew
                && !session.hostKeyFingerprint().equals(acceptNew.previousFingerprint())) {
            log.warn("ssh {}: accepted new host key {} (was {}) as confirmed by the user", target,
                    session.hostKeyFingerprint(), Objects.requireNonNullElse(acceptNew.previousFingerprint(), "none"));
        } else {
            log.debug("ssh {}: connected, host key {}", target, session.hostKeyFingerprint());
        }
    }

    private static String describe(Throwable e, Redactor redactor) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + redactor.redact(message));
    }

    private static int positiveMillis(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            log.debug("ignoring error while closing SSH connection: {}", e.toString());
        }
    }
}
