package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = new Redactor();

    private static final String KEY_BODY = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
            + "QyNTUxOQAAACBsZWFrZWRsZWFrZWRsZWFrZWRsZWFrZWRsZWFrZWQAAAA=\n";

    @Test
    void masksPemPrivateKeyBlocksOfAnyKind() {
        for (String kind : new String[] {"OPENSSH ", "RSA ", "EC ", "", "ENCRYPTED "}) {
            String text = "before\n-----BEGIN " + kind + "PRIVATE KEY-----\n" + KEY_BODY
                    + "-----END " + kind + "PRIVATE KEY-----\nafter";
            assertThat(redactor.redact(text)).isEqualTo("before\n[REDACTED]\nafter");
        }
    }

    @Test
    void masksPemBlocksCutOffAtEitherEnd() {
        String head = "cat: here it is\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY;
        assertThat(redactor.redact(head)).isEqualTo("cat: here it is\n[REDACTED]");

        String tail = KEY_BODY + "-----END OPENSSH PRIVATE KEY-----\nnext line";
        assertThat(redactor.redact(tail)).isEqualTo("[REDACTED]\nnext line");
    }

    @Test
    void keepsPublicKeysAndCertificates() {
        String text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nssh-ed25519 AAAAC3Nza";
        assertThat(redactor.redact(text)).isEqualTo(text);
    }

    @Test
    void masksBootstrapTokensAnywhere() {
        assertThat(redactor.redact("token: abcdef.0123456789abcdef\n")).isEqualTo("token: [REDACTED]\n");
        assertThat(redactor.redact("using 9a8b7c.z1y2x3w4v5u6t7s8 now")).isEqualTo("using [REDACTED] now");
    }

    @Test
    void masksTokenAndCertificateKeyArguments() {
        assertThat(redactor.redact("kubeadm join 10.0.0.1:6443 --token s3cret --discovery-token-ca-cert-hash sha256:abc"))
                .isEqualTo("kubeadm join 10.0.0.1:6443 --token [REDACTED] --discovery-token-ca-cert-hash sha256:abc");
        assertThat(redactor.redact("--token=s3cret x")).isEqualTo("--token=[REDACTED] x");
        assertThat(redactor.redact("--certificate-key 0123456789abcdef0123456789abcdef --control-plane"))
                .isEqualTo("--certificate-key [REDACTED] --control-plane");
        assertThat(redactor.redact("--discovery-token 'some token' --tls-bootstrap-token \"x y\""))
                .isEqualTo("--discovery-token [REDACTED] --tls-bootstrap-token [REDACTED]");
        assertThat(redactor.redact("certificateKey: 0a1b2c")).isEqualTo("certificateKey: [REDACTED]");
        assertThat(redactor.redact("--token-ttl 24h")).isEqualTo("--token-ttl 24h");
    }

    @Test
    void masksRegisteredLiteralsIncludingRegexCharacters() {
        redactor.register("pa$$.w*rd(1)").register(null).register("");
        assertThat(redactor.redact("passphrase pa$$.w*rd(1) rejected; pa$$.w*rd(1)"))
                .isEqualTo("passphrase [REDACTED] rejected; [REDACTED]");
        assertThat(redactor.redact("nothing here")).isEqualTo("nothing here");
    }

    @Test
    void masksLongestLiteralFirst() {
        redactor.register("abc").register("abcdef");
        assertThat(redactor.redact("xabcdefx")).isEqualTo("x[REDACTED]x");
    }

    @Test
    void nullAndEmptyPassThrough() {
        assertThat(redactor.redact(null)).isNull();
        assertThat(redactor.redact("")).isEmpty();
    }
}
