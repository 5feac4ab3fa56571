package dev.cairn.ssh;

import java.util.Objects;

/**
 * A private key to log in with, as read from a Kubernetes Secret.
 *
 * <p>The key stays in memory: it is parsed from this string and never written to a temporary file,
 * so it cannot be left behind on disk or read by another process. {@link #toString()} never shows
 * the key or the passphrase, so a credentials object that ends up in a log line leaks nothing.
 *
 * @param privateKeyOpenSsh the private key file content: OpenSSH format
 *     ({@code -----BEGIN OPENSSH PRIVATE KEY-----}) or PEM/PKCS#8
 * @param passphraseOrNull the passphrase of an encrypted key, or null
 */
public record SshCredentials(String privateKeyOpenSsh, String passphraseOrNull) {

    public SshCredentials {
        Objects.requireNonNull(privateKeyOpenSsh, "privateKeyOpenSsh");
    }

    /** True if a passphrase was given. */
    public boolean hasPassphrase() {
        return passphraseOrNull != null;
    }

    @Override
    public String toString() {
        return "SshCredentials[privateKey=<redacted>, passphrase=" + (hasPassphrase() ? "<redacted>" : "none") + "]";
    }
}
