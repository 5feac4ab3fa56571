package dev.cairn.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Objects;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * Conversions between Java public keys and the text forms OpenSSH users know: the one-line public
 * key ({@code ssh-ed25519 AAAA... comment}) and the fingerprint ({@code SHA256:...}).
 *
 * <p>Fingerprints are what we record in status and compare against, so they must be byte-for-byte
 * what {@code ssh-keygen -lf} and the {@code ssh} client print: {@code SHA256:} followed by the
 * unpadded standard base64 of the SHA-256 digest of the SSH wire encoding ("blob") of the key.
 */
public final class SshKeys {

    private SshKeys() {
    }

    /** The OpenSSH SHA256 fingerprint of a key, e.g. {@code SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU}. */
    public static String fingerprint(PublicKey key) {
        return fingerprintOfBlob(blob(key));
    }

    /**
     * The fingerprint of a key given as an OpenSSH public key line ({@code type base64 [comment]}).
     *
     * @throws IllegalArgumentException if the line is not a valid public key
     */
    public static String fingerprint(String openSshPublicKeyLine) {
        return fingerprintOfBlob(parse(openSshPublicKeyLine).blob());
    }

    /** The OpenSSH one-line form of a key, without a comment, e.g. {@code ssh-ed25519 AAAAC3Nz...}. */
    public static String toOpenSshLine(PublicKey key) {
        return KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob(key));
    }

    /** The SSH wire encoding of a public key, the input of fingerprints and of key comparisons. */
    static byte[] blob(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    static String fingerprintOfBlob(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** A parsed public key line: its declared type, the decoded blob and the key itself. */
    record ParsedKey(String type, byte[] blob, PublicKey key) {
    }

    /**
     * Parses {@code type base64 [comment]}. The type must agree with the type inside the blob, so a
     * line that was edited by hand (or maliciously) is refused instead of being half-trusted.
     */
    static ParsedKey parse(String line) {
        Objects.requireNonNull(line, "public key line must not be null");
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line (expected 'type base64 [comment]')");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(fields[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key line has invalid base64 in its key field");
        }
        try {
            Buffer.PlainBuffer buffer = new Buffer.PlainBuffer(blob);
            String blobType = buffer.readString(StandardCharsets.US_ASCII);
            if (!blobType.equals(fields[0])) {
                throw new IllegalArgumentException(
                        "public key line says '" + fields[0] + "' but the key inside is '" + blobType + "'");
            }
            PublicKey key = new Buffer.PlainBuffer(blob).readPublicKey();
            if (KeyType.fromKey(key) == KeyType.UNKNOWN) {
                throw new IllegalArgumentException("unsupported public key type '" + fields[0] + "'");
            }
            return new ParsedKey(fields[0], blob, key);
        } catch (Buffer.BufferException e) {
            throw new IllegalArgumentException("public key line does not contain a valid '" + fields[0] + "' key");
        }
    }
}
