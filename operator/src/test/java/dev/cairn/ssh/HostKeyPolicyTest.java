package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostKeyPolicyTest {

    static KeyPair a;
    static KeyPair b;

    @BeforeAll
    static void keys() throws Exception {
        a = TestKeys.ed25519();
        b = TestKeys.ed25519();
    }

    @Test
    void pinnedAcceptsOnlyThePinnedKeyAndIgnoresTheComment() {
        HostKeyPolicy policy = HostKeyPolicy.pinned(TestKeys.publicKeyLine(a.getPublic()) + " root@node-1");

        assertThat(policy.accepts(a.getPublic())).isTrue();
        assertThat(policy.accepts(b.getPublic())).isFalse();
        assertThat(policy.preferredAlgorithms()).containsExactly("ssh-ed25519");
        assertThat(policy.toString()).contains(SshKeys.fingerprint(a.getPublic()));
    }

    @Test
    void pinnedRejectsInvalidLines() {
        assertThatThrownBy(() -> HostKeyPolicy.pinned("not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trustOnFirstUseWithoutRecordAcceptsFirstKey() {
        assertThat(HostKeyPolicy.trustOnFirstUse(null).accepts(a.getPublic())).isTrue();
    }

    @Test
    void trustOnFirstUseWithRecordAcceptsOnlyThatFingerprint() {
        HostKeyPolicy policy = HostKeyPolicy.trustOnFirstUse(SshKeys.fingerprint(a.getPublic()));

        assertThat(policy.accepts(a.getPublic())).isTrue();
        assertThat(policy.accepts(b.getPublic())).isFalse();
    }

    @Test
    void acceptNewOnceAcceptsAChangedKey() {
        HostKeyPolicy policy = HostKeyPolicy.acceptNewOnce(SshKeys.fingerprint(a.getPublic()));

        assertThat(policy.accepts(b.getPublic())).isTrue();
        assertThat(HostKeyPolicy.acceptNewOnce(null).accepts(b.getPublic())).isTrue();
    }

    @Test
    void fingerprintsMustBeInOpenSshFormat() {
        String hex = "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48";
        assertThatThrownBy(() -> HostKeyPolicy.trustOnFirstUse(hex)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostKeyPolicy.trustOnFirstUse("SHA256:short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostKeyPolicy.acceptNewOnce("")).isInstanceOf(IllegalArgumentException.class);
        String padded = SshKeys.fingerprint(a.getPublic()) + "=";
        assertThatThrownBy(() -> HostKeyPolicy.trustOnFirstUse(padded)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptedKeyCannotChangeWithinAConnection() {
        HostKeyCheck check = new HostKeyCheck(HostKeyPolicy.acceptNewOnce(null));

        assertThat(check.verify("h", 22, a.getPublic())).isTrue();
        assertThat(check.verify("h", 22, a.getPublic())).isTrue(); // re-key, same key
        assertThat(check.verify("h", 22, b.getPublic())).isFalse(); // re-key, different key
        assertThat(check.accepted()).isEqualTo(a.getPublic());
        assertThat(check.rejected()).isEqualTo(b.getPublic());
    }
}
