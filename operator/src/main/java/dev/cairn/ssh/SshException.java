package dev.cairn.ssh;

import java.util.Objects;

/**
 * The machine could not be talked to; {@link #failure()} says why. Messages are written to be shown
 * to users and never contain key material or passphrases.
 */
public final class SshException extends Exception {

    private static final long serialVersionUID = 1L;

    private final SshFailure failure;

    public SshException(SshFailure failure, String message) {
        this(failure, message, null);
    }

    public SshException(SshFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** The kind of failure. */
    public SshFailure failure() {
        return failure;
    }

    /** The status condition reason for this failure, e.g. {@code HostKeyMismatch}. */
    public String reason() {
        return failure.reason();
    }
}
