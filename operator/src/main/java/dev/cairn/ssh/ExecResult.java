package dev.cairn.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * What a remote script did. A non-zero exit code is ordinary data here, not an exception: the
 * caller decides whether "exit 1" from e.g. {@code systemctl is-active} means failure or just "no".
 *
 * @param exitCode the script's exit status; {@code 128 + n} if it was killed by signal n; {@code -1}
 *     if it timed out
 * @param stdout everything the script wrote to standard output (UTF-8, may be partial on timeout)
 * @param stderr everything the script wrote to standard error (UTF-8, may be partial on timeout)
 * @param took wall-clock time from starting the command to its end (or to the timeout)
 * @param timedOut true if the command did not finish within its timeout and its channel was closed
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration took, boolean timedOut) {

    /** The exit code reported when a command was abandoned because of its timeout. */
    public static final int TIMED_OUT_EXIT_CODE = -1;

    public ExecResult {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(took, "took");
    }

    /** True if the script ran to completion and exited with status 0. */
    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /**
     * A short excerpt of the output for an error message or a status condition: at most
     * {@code maxChars} characters taken from the end of stderr and stdout. Stderr gets priority
     * (that is where tools explain why they failed) and comes last; whatever room is left is filled
     * with the end of stdout, before it.
     *
     * <p>This does not remove secrets. Redact the whole result first
     * ({@link #redacted(Redactor)}), then take the tail, so that a secret cut in half by the tail
     * cannot slip past the redactor's patterns.
     */
    public String tail(int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must not be negative: " + maxChars);
        }
        String err = lastChars(stderr, maxChars);
        int room = maxChars - err.length();
        if (room <= 0 || stdout.isEmpty()) {
            return err;
        }
        boolean needsSeparator = !err.isEmpty() && !stdout.endsWith("\n");
        if (needsSeparator) {
            room--;
        }
        String out = lastChars(stdout, room);
        if (out.isEmpty()) {
            return err;
        }
        return needsSeparator ? out + "\n" + err : out + err;
    }

    /** A copy of this result with secrets removed from stdout and stderr. */
    public ExecResult redacted(Redactor redactor) {
        return new ExecResult(exitCode, redactor.redact(stdout), redactor.redact(stderr), took, timedOut);
    }

    /** Short description without the output (which may contain secrets): exit code, duration. */
    @Override
    public String toString() {
        return "ExecResult[exitCode=" + exitCode + ", timedOut=" + timedOut + ", took=" + took.toMillis() + "ms"
                + ", stdout=" + stdout.length() + " chars, stderr=" + stderr.length() + " chars]";
    }

    private static String lastChars(String s, int n) {
        if (s.length() <= n) {
            return s;
        }
        int start = s.length() - n;
        // never start in the middle of a surrogate pair
        if (start < s.length() && Character.isLowSurrogate(s.charAt(start))) {
            start++;
        }
        return s.substring(start);
    }
}
