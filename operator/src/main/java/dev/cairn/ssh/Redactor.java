package dev.cairn.ssh;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it reaches a log line, an event or a status condition.
 *
 * <p>Remote output is shown to users to explain failures, but kubeadm and friends happily echo
 * join tokens, certificate keys and sometimes key files. This class knows those shapes:
 * <ul>
 *   <li>PEM private key blocks ({@code -----BEGIN ... PRIVATE KEY-----} to the matching END line),
 *       including blocks cut off at either end, as happens when output is truncated;</li>
 *   <li>kubeadm bootstrap tokens ({@code abcdef.0123456789abcdef});</li>
 *   <li>values of {@code --token}, {@code --discovery-token}, {@code --tls-bootstrap-token},
 *       {@code --certificate-key} arguments and {@code certificateKey:} fields;</li>
 *   <li>any literal registered with {@link #register(String)}, e.g. a key passphrase.</li>
 * </ul>
 * It errs on the side of removing too much. Instances are thread-safe.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "[REDACTED]";

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?-----END \\1PRIVATE KEY-----", Pattern.DOTALL);
    /** A BEGIN line whose END was cut off: everything after it is key material. */
    private static final Pattern PEM_UNTERMINATED = Pattern.compile(
            "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*\\z", Pattern.DOTALL);
    /** An END line whose BEGIN was cut off: everything before it is key material. */
    private static final Pattern PEM_UNSTARTED = Pattern.compile(
            "\\A.*?-----END [A-Z0-9 ]*PRIVATE KEY-----", Pattern.DOTALL);
    private static final Pattern SECRET_ARGUMENT = Pattern.compile(
            "(--(?:[a-z-]*token|certificate-key)(?:=|\\s+)|certificateKey:\\s*)(\"[^\"]*\"|'[^']*'|\\S+)");
    private static final Pattern BOOTSTRAP_TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");

    private final Set<String> literals = ConcurrentHashMap.newKeySet();

    /**
     * Registers a literal secret (a passphrase, a password, a token read from a Secret) to be
     * masked wherever it occurs. Null and empty values are ignored so callers can pass optional
     * secrets unconditionally.
     *
     * @return this redactor, for chaining
     */
    public Redactor register(String secret) {
        if (secret != null && !secret.isEmpty()) {
            literals.add(secret);
        }
        return this;
    }

    /**
     * A stand-in for {@code error} and its causes to log: the same stack traces, each message
     * redacted and prefixed with the original exception's class. Nothing of the original message
     * is kept, so a key quoted by a library cannot reach the log.
     */
    public Throwable redacted(Throwable error) {
        return redacted(error, 0);
    }

    private Throwable redacted(Throwable error, int depth) {
        Throwable cause = error.getCause() == null || error.getCause() == error || depth > 16
                ? null : redacted(error.getCause(), depth + 1);
        String message = error.getMessage() == null ? "" : ": " + redact(error.getMessage());
        Redacted copy = new Redacted(error.getClass().getName() + message, cause);
        copy.setStackTrace(error.getStackTrace());
        return copy;
    }

    /** An exception as logged: its original's class in the message, its stack trace, its causes. */
    private static final class Redacted extends RuntimeException {
        Redacted(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** Returns {@code text} with all known secrets replaced by {@link #MASK}; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        // longest first, so a secret that contains another one is masked as a whole
        List<String> sorted = literals.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String literal : sorted) {
            result = result.replace(literal, MASK);
        }
        result = PEM_BLOCK.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
        result = PEM_UNTERMINATED.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
        result = PEM_UNSTARTED.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
        result = SECRET_ARGUMENT.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
        result = BOOTSTRAP_TOKEN.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
        return result;
    }
}
