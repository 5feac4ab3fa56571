package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshValueTypesTest {

    @Test
    void credentialsToStringHidesKeyAndPassphrase() {
        String key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n";
        SshCredentials creds = new SshCredentials(key, "correct horse");

        assertThat(creds.toString()).doesNotContain("b3BlbnNzaC1rZXktdjE", "BEGIN", "correct horse").contains("<redacted>");
        assertThat(new SshCredentials(key, null).toString()).contains("passphrase=none").doesNotContain("b3Blbn");
    }

    @Test
    void targetValidatesAndPrints() {
        SshTarget target = new SshTarget("10.0.0.5", 2222, "deploy");

        assertThat(target).hasToString("deploy@10.0.0.5:2222");
        assertThat(target.isRoot()).isFalse();
        assertThat(new SshTarget("h", 22, "root").isRoot()).isTrue();
        assertThatThrownBy(() -> new SshTarget("h", 0, "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SshTarget("h", 65536, "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SshTarget(" ", 22, "root")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SshTarget("h", 22, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failureReasons() {
        assertThat(SshFailure.UNREACHABLE.reason()).isEqualTo("HostUnreachable");
        assertThat(SshFailure.AUTH_FAILED.reason()).isEqualTo("AuthenticationFailed");
        assertThat(SshFailure.HOST_KEY_MISMATCH.reason()).isEqualTo("HostKeyMismatch");
        assertThat(SshFailure.SUDO_DENIED.reason()).isEqualTo("SudoNotAllowed");
        assertThat(SshFailure.BAD_KEY.reason()).isEqualTo("InvalidCredentials");
        assertThat(SshFailure.TRANSPORT.reason()).isEqualTo("ConnectionLost");
        assertThat(new SshException(SshFailure.BAD_KEY, "m").reason()).isEqualTo("InvalidCredentials");
    }
}
