package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.cairn.testing.SshTestHost;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SshSession against a real SSH server (Apache MINA, in process, 127.0.0.1) whose commands run in
 * local bash, so scripts, uploads, exit codes and timeouts are real.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SshSessionTest {

    static final Duration CONNECT = Duration.ofSeconds(10);
    static final Duration CMD = Duration.ofSeconds(30);
    static final String PASSPHRASE = "correct horse battery staple";

    static KeyPair hostKey;
    static KeyPair otherHostKey;
    static KeyPair clientKey;
    static String clientKeyText;
    static String encryptedClientKeyText;

    @TempDir
    Path tmp;

    SshTestHost server;

    @BeforeAll
    static void keys() throws Exception {
        hostKey = TestKeys.ed25519();
        otherHostKey = TestKeys.ed25519();
        clientKey = TestKeys.ed25519();
        clientKeyText = TestKeys.openSshPrivateKey(clientKey, null);
        encryptedClientKeyText = TestKeys.openSshPrivateKey(clientKey, PASSPHRASE);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = SshTestHost.bash(clientKey.getPublic(), hostKey);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    static HostKeyPolicy pinnedTo(KeyPair key) {
        return HostKeyPolicy.pinned(TestKeys.publicKeyLine(key.getPublic()) + " root@node");
    }

    static SshCredentials creds() {
        return new SshCredentials(clientKeyText, null);
    }

    SshSession open(String user) throws SshException {
        return SshSession.open(server.target(user), creds(), pinnedTo(hostKey), CONNECT);
    }

    // ---- exec ----

    @Test
    void exitCodeIsDataAndStreamsAreSeparate() throws Exception {
        try (SshSession ssh = open("root")) {
            ExecResult r = ssh.exec("echo to-out; echo to-err >&2; exit 3", CMD);

            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.ok()).isFalse();
            assertThat(r.timedOut()).isFalse();
            assertThat(r.stdout()).isEqualTo("to-out\n");
            assertThat(r.stderr()).isEqualTo("to-err\n");
            assertThat(ssh.exec("true", CMD).ok()).isTrue();
        }
    }

    @Test
    void scriptRunsInBashWithStrictModeAvailable() throws Exception {
        try (SshSession ssh = open("root")) {
            ExecResult r = ssh.exec("set -euo pipefail\necho start\nfalse | true\necho never", CMD);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stdout()).isEqualTo("start\n");
            assertThat(ssh.exec("echo \"${BASH_VERSION:+bash}\"", CMD).stdout()).isEqualTo("bash\n");
        }
    }

    @Test
    void commandsInTheScriptCannotEatTheRestOfTheScript() throws Exception {
        try (SshSession ssh = open("root")) {
            // With plain `bash -s`, cat would swallow the following line from stdin.
            ExecResult r = ssh.exec("cat\necho after-cat", CMD);

            assertThat(r.stdout()).isEqualTo("after-cat\n");
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void syntaxErrorRunsNothing() throws Exception {
        Path marker = tmp.resolve("ran");
        try (SshSession ssh = open("root")) {
            ExecResult r = ssh.exec("touch " + Shell.quote(marker.toString()) + "\nif then fi", CMD);

            assertThat(r.exitCode()).isNotZero();
            assertThat(marker).doesNotExist();
        }
    }

    @Test
    void hostileValuesQuotedIntoAScriptArriveIntact() throws Exception {
        try (SshSession ssh = open("root")) {
            for (String value : ShellTest.HOSTILE) {
                ExecResult r = ssh.exec("printf %s " + Shell.quote(value), CMD);
                assertThat(r.stdout()).as("value %s", value).isEqualTo(value);
            }
        }
    }

    @Test
    void largeStdoutAndStderrDoNotDeadlock() throws Exception {
        try (SshSession ssh = open("root")) {
            // all of stderr first, then all of stdout: a reader draining only one stream would stall
            ExecResult r = ssh.exec("head -c 2000000 /dev/zero | tr '\\0' e >&2\n"
                    + "head -c 3000000 /dev/zero | tr '\\0' o", Duration.ofSeconds(50));

            assertThat(r.exitCode()).isZero();
            assertThat(r.stderr()).hasSize(2_000_000).matches("e+");
            assertThat(r.stdout()).hasSize(3_000_000).matches("o+");
        }
    }

    @Test
    void timeoutReturnsQuicklyAndTheSessionStaysUsable() throws Exception {
        try (SshSession ssh = open("root")) {
            long start = System.nanoTime();
            ExecResult r = ssh.exec("echo started\nsleep 30", Duration.ofSeconds(1));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(r.timedOut()).isTrue();
            assertThat(r.exitCode()).isEqualTo(-1);
            assertThat(r.ok()).isFalse();
            assertThat(r.stdout()).isEqualTo("started\n");
            assertThat(elapsed).isLessThan(Duration.ofSeconds(8));
            assertThat(ssh.exec("echo still-here", CMD).stdout()).isEqualTo("still-here\n");
        }
    }

    @Test
    void anAbandonedScriptIsStoppedByTheHostItself() throws Exception {
        server.keepsAbandonedCommands = true;
        Path late = tmp.resolve("late");
        Path pid = tmp.resolve("pid");
        try (SshSession ssh = open("root")) {
            // a child in the background as well: the host must stop the whole process group
            ExecResult r = ssh.exec("sleep 60 &\necho $! > " + Shell.quote(pid.toString()) + "\nsleep 8\ntouch "
                    + Shell.quote(late.toString()) + "\nwait", Duration.ofSeconds(1));
            assertThat(r.timedOut()).isTrue();
        }
        long child = Long.parseLong(Files.readString(pid).trim());
        // our timeout (1 s) plus the host's grace: TERM reaches the group at 4 s, long before 8 s
        await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
        Thread.sleep(9_000);
        assertThat(late).as("the abandoned script went on past the host's deadline").doesNotExist();
    }

    @Test
    void theHostsDeadlineIsAfterOurs() {
        assertThat(SshSession.remoteDeadline(Duration.ofMillis(1500))).isEqualTo("timeout -k 10 5 ");
        assertThat(SshSession.remoteDeadline(Duration.ofMinutes(34))).isEqualTo("timeout -k 10 2043 ");
    }

    @Test
    void oneConnectionServesManyCommands() throws Exception {
        try (SshSession ssh = open("root")) {
            for (int i = 0; i < 20; i++) {
                assertThat(ssh.exec("echo " + i, CMD).stdout()).isEqualTo(i + "\n");
            }
        }
        assertThat(server.sessions.get()).isEqualTo(1);
        assertThat(server.commands).hasSize(20).containsOnly(SshSession.remoteDeadline(CMD) + "bash -s");
    }

    // ---- sudo ----

    @Test
    void rootRunsScriptsWithoutSudo() throws Exception {
        try (SshSession ssh = open("root")) {
            ssh.exec("true", CMD);
        }
        assertThat(server.commands).containsExactly(SshSession.remoteDeadline(CMD) + "bash -s");
    }

    @Test
    void otherUsersAreCheckedForSudoAndRunScriptsThroughIt() throws Exception {
        try (SshSession ssh = open("deploy")) {
            ExecResult r = ssh.exec("echo secret-in-script-not-argv", CMD);
            assertThat(r.stdout()).isEqualTo("secret-in-script-not-argv\n");
        }
        assertThat(server.commands).containsExactly("sudo -n true", "sudo -n " + SshSession.remoteDeadline(CMD) + "bash -s");
    }

    @Test
    void userWithoutPasswordlessSudoIsRefusedAtOpen() {
        server.sudoAllowed = false;

        SshException e = catchThrowableOfType(SshException.class, () -> open("deploy"));

        assertThat(e.failure()).isEqualTo(SshFailure.SUDO_DENIED);
        assertThat(e.reason()).isEqualTo("SudoNotAllowed");
        assertThat(e.getMessage()).contains("deploy", "a password is required");
        assertThat(server.commands).containsExactly("sudo -n true");
    }

    // ---- upload ----

    @Test
    void uploadWritesExactBytesWithModeAndCreatesParents() throws Exception {
        byte[] content = binaryContent(300_000);
        Path dest = tmp.resolve("new dir/sub").resolve("it's $(x).conf");
        try (SshSession ssh = open("root")) {
            ssh.upload(content, dest.toString(), "0600");
        }

        assertThat(Files.readAllBytes(dest)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.getParent()))).isEqualTo("rwxr-xr-x");
        assertThat(server.commands).singleElement().asString().startsWith("bash -c ");
    }

    @Test
    void uploadReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
        Path dest = tmp.resolve("kubelet.conf");
        Files.writeString(dest, "old content that is longer than the new one");
        Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (SshSession ssh = open("root")) {
            ssh.upload("new\n".getBytes(StandardCharsets.UTF_8), dest.toString(), "640");
            ssh.upload(new byte[0], tmp.resolve("empty").toString(), "0644");
        }

        assertThat(Files.readString(dest)).isEqualTo("new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dest))).isEqualTo("rw-r-----");
        assertThat(tmp.resolve("empty")).isEmptyFile();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("kubelet.conf", "empty");
        }
    }

    @Test
    void uploadAsSudoUserGoesThroughSudo() throws Exception {
        Path dest = tmp.resolve("etc/kubernetes/pki/ca.key");
        try (SshSession ssh = open("deploy")) {
            ssh.upload("KEY".getBytes(StandardCharsets.UTF_8), dest.toString(), "0600");
        }

        assertThat(Files.readString(dest)).isEqualTo("KEY");
        assertThat(server.commands).hasSize(2);
        assertThat(server.commands.get(1)).startsWith("sudo -n bash -c ").doesNotContain("KEY");
    }

    @Test
    void failedUploadIsReportedAsRemoteCommandFailure() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("not-a-dir"), "x");
        try (SshSession ssh = open("root")) {
            // more content than fits in the SSH window, which the remote side never reads
            byte[] content = binaryContent(4_000_000);
            long start = System.nanoTime();
            RemoteCommandException e = catchThrowableOfType(RemoteCommandException.class,
                    () -> ssh.upload(content, blocker.resolve("f").toString(), "0600"));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));

            assertThat(e.result().exitCode()).isNotZero();
            assertThat(e.getMessage()).contains(blocker.resolve("f").toString());
            assertThat(ssh.exec("echo fine", CMD).ok()).isTrue();
        }
    }

    @Test
    void truncatedUploadIsNeverInstalled() throws Exception {
        // A dropped connection or a timeout looks like a plain end-of-file to the remote script.
        Path dest = Files.writeString(tmp.resolve("admin.conf"), "previous");
        Process p = new ProcessBuilder("/bin/bash", "-c", SshSession.uploadScript(dest.toString(), "0600", 1000))
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(new byte[400]);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out).contains("received 400 of 1000 bytes");
        assertThat(Files.readString(dest)).isEqualTo("previous");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).as("temporary file removed").containsExactly(dest);
        }
    }

    @Test
    void uploadValidatesPathAndMode() throws Exception {
        try (SshSession ssh = open("root")) {
            byte[] c = new byte[1];
            assertThatThrownBy(() -> ssh.upload(c, "relative/path", "0600")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ssh.upload(c, "/etc/dir/", "0600")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ssh.upload(c, "/tmp/x", "999")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ssh.upload(c, "/tmp/x", "0600; reboot")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ssh.upload(c, "/tmp/x", "u+rw")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(server.commands).isEmpty();
    }

    // ---- host keys ----

    @Test
    void pinnedKeyMatchesAndTheSessionReportsTheHostKey() throws Exception {
        String line = TestKeys.publicKeyLine(hostKey.getPublic());
        try (SshSession ssh = open("root")) {
            assertThat(ssh.hostKey()).isEqualTo(line);
            assertThat(ssh.hostKeyFingerprint()).isEqualTo(SshKeys.fingerprint(line));
            assertThat(ssh.toString()).contains(ssh.hostKeyFingerprint());
        }
    }

    @Test
    void reportedFingerprintIsWhatSshKeygenPrints() throws Exception {
        Path pub = tmp.resolve("host.pub");
        Files.writeString(pub, TestKeys.publicKeyLine(hostKey.getPublic()) + " root@node\n");
        Process p = new ProcessBuilder("ssh-keygen", "-lf", pub.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();

        try (SshSession ssh = SshSession.open(server.target("root"), creds(), HostKeyPolicy.trustOnFirstUse(null), CONNECT)) {
            assertThat(out.split(" ")[1]).isEqualTo(ssh.hostKeyFingerprint());
        }
    }

    @Test
    void pinnedKeyMismatchIsDetectedBeforeLoginAndNothingRuns() throws Exception {
        Path marker = tmp.resolve("commands-requested");
        server.marker = marker;

        SshException e = catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("deploy"), creds(), pinnedTo(otherHostKey), CONNECT));

        assertThat(e.failure()).isEqualTo(SshFailure.HOST_KEY_MISMATCH);
        assertThat(e.reason()).isEqualTo("HostKeyMismatch");
        assertThat(e.getMessage()).contains(SshKeys.fingerprint(hostKey.getPublic()));
        assertThat(marker).doesNotExist();
        assertThat(server.commands).isEmpty();
        assertThat(server.authAttempts.get()).as("our key was never offered to the impostor").isZero();

        // control: the same setup with the right key does run commands (the sudo check)
        SshSession.open(server.target("deploy"), creds(), pinnedTo(hostKey), CONNECT).close();
        assertThat(marker).exists();
    }

    @Test
    void pinningSelectsTheMatchingKeyOfAServerWithSeveralHostKeys() throws Exception {
        KeyPair rsaHostKey = TestKeys.rsa();
        try (SshTestHost multi = SshTestHost.bash(clientKey.getPublic(), hostKey, rsaHostKey)) {
            for (KeyPair pinned : List.of(rsaHostKey, hostKey)) {
                try (SshSession ssh = SshSession.open(multi.target("root"), creds(), pinnedTo(pinned), CONNECT)) {
                    assertThat(ssh.hostKey()).isEqualTo(TestKeys.publicKeyLine(pinned.getPublic()));
                }
            }
        }
    }

    @Test
    void trustOnFirstUseRecordsTheKeyAndRefusesAnotherOneLater() throws Exception {
        String recorded;
        try (SshSession first = SshSession.open(server.target("root"), creds(), HostKeyPolicy.trustOnFirstUse(null), CONNECT)) {
            recorded = first.hostKeyFingerprint();
        }
        assertThat(recorded).isEqualTo(SshKeys.fingerprint(hostKey.getPublic()));

        try (SshSession again = SshSession.open(server.target("root"), creds(), HostKeyPolicy.trustOnFirstUse(recorded), CONNECT)) {
            assertThat(again.exec("echo ok", CMD).stdout()).isEqualTo("ok\n");
        }

        try (SshTestHost impostor = SshTestHost.bash(clientKey.getPublic(), otherHostKey)) {
            SshException e = catchThrowableOfType(SshException.class, () -> SshSession.open(
                    impostor.target("root"), creds(), HostKeyPolicy.trustOnFirstUse(recorded), CONNECT));

            assertThat(e.failure()).isEqualTo(SshFailure.HOST_KEY_MISMATCH);
            assertThat(impostor.commands).isEmpty();
            assertThat(impostor.authAttempts.get()).isZero();
        }
    }

    @Test
    void acceptNewOnceAcceptsAChangedKey() throws Exception {
        String previous = SshKeys.fingerprint(hostKey.getPublic());
        try (SshTestHost reinstalled = SshTestHost.bash(clientKey.getPublic(), otherHostKey);
                SshSession ssh = SshSession.open(reinstalled.target("root"), creds(), HostKeyPolicy.acceptNewOnce(previous), CONNECT)) {
            assertThat(ssh.hostKeyFingerprint()).isEqualTo(SshKeys.fingerprint(otherHostKey.getPublic())).isNotEqualTo(previous);
            assertThat(ssh.exec("echo ok", CMD).ok()).isTrue();
        }
    }

    // ---- credentials and transport failures ----

    @Test
    void wrongClientKeyIsAuthenticationFailure() throws Exception {
        SshCredentials stranger = new SshCredentials(TestKeys.openSshPrivateKey(TestKeys.ed25519(), null), null);

        SshException e = catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("root"), stranger, pinnedTo(hostKey), CONNECT));

        assertThat(e.failure()).isEqualTo(SshFailure.AUTH_FAILED);
        assertThat(e.reason()).isEqualTo("AuthenticationFailed");
        assertThat(server.commands).isEmpty();
    }

    @Test
    void closedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        SshException e = catchThrowableOfType(SshException.class,
                () -> SshSession.open(new SshTarget("127.0.0.1", port, "root"), creds(), pinnedTo(hostKey), CONNECT));

        assertThat(e.failure()).isEqualTo(SshFailure.UNREACHABLE);
        assertThat(e.reason()).isEqualTo("HostUnreachable");
    }

    @Test
    void aPortThatNeverSpeaksSshFailsWithinTheConnectTimeout() throws Exception {
        // what a guest rebooting behind QEMU's port forward looks like: TCP accepted, then silence
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    silent.accept();
                } catch (java.io.IOException ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            SshException e = catchThrowableOfType(SshException.class, () -> SshSession.open(
                    new SshTarget("127.0.0.1", silent.getLocalPort(), "root"), creds(), pinnedTo(hostKey),
                    java.time.Duration.ofSeconds(1)));
            assertThat(e).isNotNull();
            assertThat(e.failure()).isIn(SshFailure.UNREACHABLE, SshFailure.TRANSPORT);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void encryptedKeyWorksWithItsPassphrase() throws Exception {
        SshCredentials encrypted = new SshCredentials(encryptedClientKeyText, PASSPHRASE);
        try (SshSession ssh = SshSession.open(server.target("root"), encrypted, pinnedTo(hostKey), CONNECT)) {
            assertThat(ssh.exec("echo ok", CMD).stdout()).isEqualTo("ok\n");
        }
    }

    @Test
    void unreadableKeysAreInvalidCredentialsAndNothingIsSent() {
        List<SshCredentials> bad = List.of(
                new SshCredentials("not a key at all", null),
                new SshCredentials("", null),
                new SshCredentials(clientKeyText.replace("b3BlbnNzaC1rZXktdjE", "AAAAAAAAAAAAAAAAAAA"), null),
                new SshCredentials(encryptedClientKeyText, "wrong passphrase"),
                new SshCredentials(encryptedClientKeyText, null));
        for (SshCredentials creds : bad) {
            SshException e = catchThrowableOfType(SshException.class,
                    () -> SshSession.open(server.target("root"), creds, pinnedTo(hostKey), CONNECT));

            assertThat(e).as(creds.toString()).isNotNull();
            assertThat(e.failure()).isEqualTo(SshFailure.BAD_KEY);
            assertThat(e.reason()).isEqualTo("InvalidCredentials");
        }
        assertThat(server.sessions.get()).as("a bad key is detected before connecting").isZero();
    }

    @Test
    void lostConnectionIsATransportFailure() throws Exception {
        try (SshSession ssh = open("root")) {
            server.close();

            SshException e = catchThrowableOfType(SshException.class, () -> ssh.exec("echo hi", CMD));

            assertThat(e.failure()).isEqualTo(SshFailure.TRANSPORT);
            assertThat(e.reason()).isEqualTo("ConnectionLost");
        }
    }

    @Test
    void noFailureMessageOrToStringContainsKeyMaterialOrPassphrase() throws Exception {
        SshCredentials good = new SshCredentials(encryptedClientKeyText, PASSPHRASE);
        SshCredentials wrongPassphrase = new SshCredentials(encryptedClientKeyText, PASSPHRASE + "!");
        SshCredentials garbled = new SshCredentials(encryptedClientKeyText.substring(0, encryptedClientKeyText.length() / 2), PASSPHRASE);
        SshCredentials unauthorized = new SshCredentials(TestKeys.openSshPrivateKey(TestKeys.ed25519(), PASSPHRASE), PASSPHRASE);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        List<Throwable> failures = new ArrayList<>();
        failures.add(catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("root"), wrongPassphrase, pinnedTo(hostKey), CONNECT)));
        failures.add(catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("root"), garbled, pinnedTo(hostKey), CONNECT)));
        failures.add(catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("root"), unauthorized, pinnedTo(hostKey), CONNECT)));
        failures.add(catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("root"), good, pinnedTo(otherHostKey), CONNECT)));
        failures.add(catchThrowableOfType(SshException.class,
                () -> SshSession.open(new SshTarget("127.0.0.1", closedPort, "root"), good, pinnedTo(hostKey), CONNECT)));
        server.sudoAllowed = false;
        failures.add(catchThrowableOfType(SshException.class,
                () -> SshSession.open(server.target("deploy"), good, pinnedTo(hostKey), CONNECT)));
        assertThat(failures).doesNotContainNull();
        assertThat(failures).extracting(f -> ((SshException) f).failure()).containsExactly(SshFailure.BAD_KEY,
                SshFailure.BAD_KEY, SshFailure.AUTH_FAILED, SshFailure.HOST_KEY_MISMATCH, SshFailure.UNREACHABLE,
                SshFailure.SUDO_DENIED);

        List<String> secrets = new ArrayList<>(List.of(PASSPHRASE, encryptedClientKeyText.strip(), clientKeyText.strip()));
        Stream.of(encryptedClientKeyText, clientKeyText)
                .flatMap(String::lines)
                .filter(line -> !line.startsWith("-----") && line.length() > 20)
                .forEach(secrets::add);
        List<String> texts = new ArrayList<>();
        for (Throwable f : failures) {
            StringWriter trace = new StringWriter();
            f.printStackTrace(new PrintWriter(trace));
            texts.add(trace.toString());
        }
        texts.add(good.toString());
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private static byte[] binaryContent(int size) {
        byte[] content = new byte[size];
        new Random(42).nextBytes(content);
        for (int i = 0; i < 256; i++) {
            content[i] = (byte) i; // every byte value, NUL and newline included
        }
        content[size - 1] = 'x'; // and no trailing newline
        return content;
    }
}
