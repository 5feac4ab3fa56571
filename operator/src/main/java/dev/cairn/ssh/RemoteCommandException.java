package dev.cairn.ssh;

import java.util.Objects;

/**
 * A step that must succeed (such as {@link SshSession#upload}) ran, but its remote command failed
 * or timed out. The connection itself is fine. The attached result is already redacted.
 */
public final class RemoteCommandException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ExecResult result;

    public RemoteCommandException(String message, ExecResult redactedResult) {
        super(message);
        this.result = Objects.requireNonNull(redactedResult, "redactedResult");
    }

    /** What the command did, with secrets removed. */
    public ExecResult result() {
        return result;
    }
}
