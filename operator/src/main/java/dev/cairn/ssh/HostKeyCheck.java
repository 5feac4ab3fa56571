package dev.cairn.ssh;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Adapts a {@link HostKeyPolicy} to sshj, and remembers what happened so that a refusal can be
 * reported as {@link SshFailure#HOST_KEY_MISMATCH} rather than as a generic protocol error.
 *
 * <p>Once a key was accepted on a connection, later verifications on the same connection (sshj
 * verifies again on every re-key) must present the very same key, whatever the policy.
 */
final class HostKeyCheck implements HostKeyVerifier {

    private final HostKeyPolicy policy;
    private volatile PublicKey accepted;
    private volatile PublicKey rejected;

    HostKeyCheck(HostKeyPolicy policy) {
        this.policy = policy;
    }

    @Override
    public synchronized boolean verify(String hostname, int port, PublicKey key) {
        boolean ok = accepted == null
                ? policy.accepts(key)
                : Arrays.equals(SshKeys.blob(accepted), SshKeys.blob(key));
        if (ok) {
            accepted = key;
        } else {
            rejected = key;
        }
        return ok;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return policy.preferredAlgorithms();
    }

    /** The key that was accepted, or null if none was (yet). */
    PublicKey accepted() {
        return accepted;
    }

    /** The last key that was refused, or null if none was. */
    PublicKey rejected() {
        return rejected;
    }

    HostKeyPolicy policy() {
        return policy;
    }
}
