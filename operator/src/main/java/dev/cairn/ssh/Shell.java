package dev.cairn.ssh;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The single place where values coming from a cluster spec (host names, paths, versions, labels...)
 * are turned into shell words.
 *
 * <p>Every value is wrapped in POSIX single quotes, inside which a shell interprets nothing at all:
 * no {@code $(...)}, no backticks, no globbing, no word splitting. The only character that needs
 * care is the single quote itself, which is written as {@code '\''} (close the quote, an escaped
 * quote, reopen). This works identically in {@code sh}, {@code dash}, {@code bash} and
 * {@code zsh}, which is why it is preferred over backslash escaping or double quotes.
 *
 * <p>Having exactly one quoting function makes review simple: a script fragment is safe if and
 * only if every interpolated value went through {@link #quote(String)}.
 */
public final class Shell {

    private Shell() {
    }

    /**
     * Quotes {@code value} as one shell word that expands to exactly {@code value}.
     *
     * @param value any string; the empty string becomes {@code ''}
     * @return the value in single quotes, e.g. {@code it's} becomes {@code 'it'\''s'}
     * @throws IllegalArgumentException if the value contains a NUL character, which no shell
     *     argument (C string) can carry; silently truncating it would change the meaning
     * @throws NullPointerException if value is null
     */
    public static String quote(String value) {
        Objects.requireNonNull(value, "value to quote must not be null");
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value contains a NUL character, which a shell argument cannot carry");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /**
     * Quotes each value with {@link #quote(String)} and joins the words with single spaces, e.g. to
     * build an argument list. An empty list gives the empty string.
     */
    public static String quoteAll(List<String> values) {
        Objects.requireNonNull(values, "values to quote must not be null");
        return values.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
