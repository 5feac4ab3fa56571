package dev.cairn.ssh;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which SSH host key we are willing to talk to. Host key checking is what stops a machine that
 * took over a node's address from receiving our login and, worse, the cluster secrets we send
 * afterwards, so every policy here fails closed: when in doubt the connection is refused before
 * authentication and before any command runs.
 *
 * <p>There is deliberately no "accept anything" policy. {@link #acceptNewOnce(String)} accepts an
 * unknown key, but only because a user explicitly asked for it for one connection.
 */
public abstract sealed class HostKeyPolicy
        permits HostKeyPolicy.Pinned, HostKeyPolicy.TrustOnFirstUse, HostKeyPolicy.AcceptNewOnce {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private HostKeyPolicy() {
    }

    /**
     * Trust exactly one key, given by the user in the spec as an OpenSSH public key line, e.g. the
     * content of {@code /etc/ssh/ssh_host_ed25519_key.pub}. The strongest option: no trust is ever
     * extended to a key nobody checked.
     *
     * @param openSshPublicKeyLine {@code type base64 [comment]}; the comment is ignored
     * @throws IllegalArgumentException if the line is not a valid public key
     */
    public static HostKeyPolicy pinned(String openSshPublicKeyLine) {
        return new Pinned(SshKeys.parse(openSshPublicKeyLine));
    }

    /**
     * Trust on first use, like {@code ssh} with {@code StrictHostKeyChecking=accept-new}. With no
     * recorded fingerprint the first key presented is accepted and the caller records
     * {@link SshSession#hostKeyFingerprint()}; from then on only a key with that fingerprint is
     * accepted, so a later impostor is refused.
     *
     * @param recordedFingerprintOrNull a fingerprint recorded earlier ({@code SHA256:...}), or null
     *     if this host has never been contacted
     * @throws IllegalArgumentException if the fingerprint is not in OpenSSH's SHA256 format
     */
    public static HostKeyPolicy trustOnFirstUse(String recordedFingerprintOrNull) {
        return new TrustOnFirstUse(recordedFingerprintOrNull == null ? null : checkFingerprint(recordedFingerprintOrNull));
    }

    /**
     * Accept whatever key the host presents, once: used when a user confirmed a legitimate host key
     * change (a reinstalled VM) with the annotation {@code cairn.dev/accept-new-host-key}. The
     * caller must record the new {@link SshSession#hostKeyFingerprint()} and remove the annotation
     * so that the next connection is checked again.
     *
     * @param previousFingerprint the fingerprint recorded before (for audit logs), or null
     */
    public static HostKeyPolicy acceptNewOnce(String previousFingerprint) {
        return new AcceptNewOnce(previousFingerprint == null ? null : checkFingerprint(previousFingerprint));
    }

    /** Whether the key a server presented is acceptable under this policy. */
    abstract boolean accepts(PublicKey presented);

    /**
     * Host key algorithms to offer first, so that a server with several host keys presents the one
     * we can check. Empty means the default order.
     */
    List<String> preferredAlgorithms() {
        return List.of();
    }

    private static String checkFingerprint(String fingerprint) {
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException(
                    "host key fingerprint must look like 'SHA256:' followed by 43 base64 characters, got '" + fingerprint + "'");
        }
        return fingerprint;
    }

    static final class Pinned extends HostKeyPolicy {
        private final SshKeys.ParsedKey pinned;

        private Pinned(SshKeys.ParsedKey pinned) {
            this.pinned = pinned;
        }

        @Override
        boolean accepts(PublicKey presented) {
            return Arrays.equals(SshKeys.blob(presented), pinned.blob());
        }

        @Override
        List<String> preferredAlgorithms() {
            return List.of(pinned.type());
        }

        @Override
        public String toString() {
            return "pinned host key " + SshKeys.fingerprintOfBlob(pinned.blob());
        }
    }

    static final class TrustOnFirstUse extends HostKeyPolicy {
        private final String recorded;

        private TrustOnFirstUse(String recorded) {
            this.recorded = recorded;
        }

        @Override
        boolean accepts(PublicKey presented) {
            return recorded == null || recorded.equals(SshKeys.fingerprint(presented));
        }

        @Override
        public String toString() {
            return recorded == null ? "trust on first use (no key recorded yet)" : "recorded host key " + recorded;
        }
    }

    static final class AcceptNewOnce extends HostKeyPolicy {
        private final String previous;

        private AcceptNewOnce(String previous) {
            this.previous = previous;
        }

        @Override
        boolean accepts(PublicKey presented) {
            return true;
        }

        String previousFingerprint() {
            return previous;
        }

        @Override
        public String toString() {
            return "accept new host key once (previously " + Objects.requireNonNullElse(previous, "none") + ")";
        }
    }
}
