package dev.cairn.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/** Key material generated for tests, kept in memory only. Uses MINA, independent of sshj. */
public final class TestKeys {

    static {
        TestLogging.quietSshLibraries();
    }

    private TestKeys() {
    }

    public static KeyPair ed25519() throws GeneralSecurityException {
        return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    }

    static KeyPair rsa() throws GeneralSecurityException {
        return KeyUtils.generateKeyPair(KeyPairProvider.SSH_RSA, 2048);
    }

    static KeyPair ecdsa() throws GeneralSecurityException {
        return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    }

    /** The private key as the text of an OpenSSH private key file, optionally passphrase-protected. */
    public static String openSshPrivateKey(KeyPair keyPair, String passphraseOrNull) throws Exception {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphraseOrNull != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphraseOrNull);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            encryption.setKdfRounds(4); // OpenSSH uses 16; fewer keeps the tests fast
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "cairn-test", encryption, text);
        return text.toString(StandardCharsets.US_ASCII);
    }

    /** The public key as an OpenSSH one-line entry, encoded by MINA. */
    public static String publicKeyLine(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }
}
