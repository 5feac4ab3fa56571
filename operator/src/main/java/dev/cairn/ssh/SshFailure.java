package dev.cairn.ssh;

/**
 * Why talking to a machine failed, as opposed to a command on it failing (which is just a non-zero
 * {@link ExecResult#exitCode()}). Each value maps to the reason of the status condition shown to the
 * user, so that they know what to fix: the network, the key, the host key, or sudo.
 */
public enum SshFailure {
    /** Nothing answered: connection refused, timed out, no route, unknown host. */
    UNREACHABLE("HostUnreachable"),
    /** The server did not accept our key for this user. */
    AUTH_FAILED("AuthenticationFailed"),
    /** The server's host key is not the one we trust; we did not log in and ran nothing. */
    HOST_KEY_MISMATCH("HostKeyMismatch"),
    /** The (non-root) user cannot run {@code sudo -n}, e.g. because sudo wants a password. */
    SUDO_DENIED("SudoNotAllowed"),
    /** The private key could not be parsed or decrypted (wrong passphrase). */
    BAD_KEY("InvalidCredentials"),
    /** The connection broke or the SSH protocol failed after we reached the server. */
    TRANSPORT("ConnectionLost");

    private final String reason;

    SshFailure(String reason) {
        this.reason = reason;
    }

    /** The condition reason for this failure, in Kubernetes' UpperCamelCase style. */
    public String reason() {
        return reason;
    }
}
