package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshKeysTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void fingerprintMatchesSshKeygen(String type) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen not installed");
        String line = TestKeys.publicKeyLine(keyPair(type).getPublic());

        assertThat(SshKeys.fingerprint(line)).isEqualTo(sshKeygenFingerprint(line + " comment@host"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void fingerprintMatchesIndependentComputation(String type) throws Exception {
        KeyPair keyPair = keyPair(type);
        String line = TestKeys.publicKeyLine(keyPair.getPublic()); // encoded by MINA, not sshj
        byte[] blob = Base64.getDecoder().decode(line.split(" ")[1]);
        String expected = "SHA256:" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(blob)).replace("=", "");

        assertThat(SshKeys.fingerprint(line)).isEqualTo(expected).hasSize(7 + 43);
        assertThat(SshKeys.fingerprint(keyPair.getPublic())).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void openSshLineMatchesOpenSshEncoding(String type) throws Exception {
        KeyPair keyPair = keyPair(type);
        String minaLine = TestKeys.publicKeyLine(keyPair.getPublic());

        assertThat(SshKeys.toOpenSshLine(keyPair.getPublic())).isEqualTo(minaLine);
        assertThat(SshKeys.toOpenSshLine(SshKeys.parse(minaLine + " a comment").key())).isEqualTo(minaLine);
    }

    @Test
    void rejectsMalformedLines() throws Exception {
        String ed = TestKeys.publicKeyLine(TestKeys.ed25519().getPublic());
        String blob = ed.split(" ")[1];

        assertThatThrownBy(() -> SshKeys.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 !!!notbase64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshKeys.parse("ssh-ed25519 AAAA")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshKeys.parse("ssh-rsa " + blob))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssh-ed25519");
        assertThatThrownBy(() -> SshKeys.parse("127.0.0.1 " + ed)).isInstanceOf(IllegalArgumentException.class);
    }

    private String sshKeygenFingerprint(String publicKeyLine) throws Exception {
        Path file = tmp.resolve("key.pub");
        Files.writeString(file, publicKeyLine + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        // "256 SHA256:abc... comment@host (ED25519)"
        return out.split(" ")[1];
    }

    static KeyPair keyPair(String type) throws Exception {
        return switch (type) {
            case "ed25519" -> TestKeys.ed25519();
            case "rsa" -> TestKeys.rsa();
            case "ecdsa" -> TestKeys.ecdsa();
            default -> throw new IllegalArgumentException(type);
        };
    }
}
