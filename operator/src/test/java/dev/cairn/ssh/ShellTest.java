package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quoting is checked by real shells, not by comparing strings: each hostile value is quoted, given
 * to {@code /bin/sh} (dash here) and {@code /bin/bash} as {@code printf %s <quoted>}, and what the
 * shell prints must be exactly the original bytes.
 */
class ShellTest {

    static final List<String> HOSTILE = List.of(
            "$(reboot)",
            "`reboot`",
            "; rm -rf /",
            "&& reboot || reboot | reboot > /tmp/x < /etc/passwd",
            "it's",
            "'",
            "''",
            "'$(reboot)'",
            "\\'",
            "a'b'c'd",
            "\"double\" quotes \"",
            "\"",
            "line1\nline2",
            "trailing newline\n",
            "\n",
            "\r\n",
            "*",
            "/*",
            "?",
            "[a-z]*",
            "-n",
            "-e",
            "--",
            "--help",
            "-rf /",
            "unicode: héllo wörld ✓ 日本語 🚀",
            "",
            " ",
            "  spaced   out  ",
            "tab\there",
            "\\",
            "back\\slash\\n\\t",
            "$HOME",
            "${PATH}",
            "$'\\x41'",
            "!!",
            "!$",
            "~",
            "~root",
            "{a,b}",
            "%s %d %%",
            "#not a comment",
            "a=b",
            "\u0001\u001b[31m\u007f");

    static Stream<Arguments> shellsAndValues() {
        List<Arguments> args = new ArrayList<>();
        for (String shell : List.of("/bin/sh", "/bin/bash")) {
            for (String value : HOSTILE) {
                args.add(Arguments.of(shell, value));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} -c printf %s {1}")
    @MethodSource("shellsAndValues")
    void quotedValueSurvivesShellCommandLine(String shell, String value) throws Exception {
        String script = "printf %s " + Shell.quote(value);
        // The JVM can only pass argv in its platform charset; we need UTF-8 for the non-ASCII values.
        Charset argvCharset = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        assumeTrue(argvCharset.newEncoder().canEncode(script), "JVM cannot pass this value as an argument");

        byte[] printed = run(new ProcessBuilder(shell, "-c", script), null);

        assertThat(printed).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} -s <<< printf %s {1}")
    @MethodSource("shellsAndValues")
    void quotedValueSurvivesScriptOnStdin(String shell, String value) throws Exception {
        // this is how SshSession sends scripts: on stdin, as UTF-8
        byte[] script = ("printf %s " + Shell.quote(value) + "\n").getBytes(StandardCharsets.UTF_8);

        byte[] printed = run(new ProcessBuilder(shell, "-s"), script);

        assertThat(printed).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quoteAllKeepsEachValueOneWord() throws Exception {
        List<String> values = List.of("a b", "", "$(reboot)", "it's", "*", "-n", "x\ny");

        byte[] printed = run(new ProcessBuilder("/bin/bash", "-c", "printf '%s\\0' " + Shell.quoteAll(values)), null);

        String[] words = new String(printed, StandardCharsets.UTF_8).split("\0", -1);
        assertThat(Arrays.asList(words).subList(0, words.length - 1)).containsExactlyElementsOf(values);
    }

    @Test
    void harnessDetectsBrokenQuoting() throws Exception {
        // Control: naive double quotes let the command substitution run, and the check notices.
        String value = "$(echo pwned)";
        byte[] printed = run(new ProcessBuilder("/bin/sh", "-c", "printf %s \"" + value + "\""), null);
        assertThat(printed).isNotEqualTo(value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quoteFormat() {
        assertThat(Shell.quote("")).isEqualTo("''");
        assertThat(Shell.quote("abc")).isEqualTo("'abc'");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Shell.quoteAll(List.of())).isEmpty();
        assertThat(Shell.quoteAll(List.of("a", "b c"))).isEqualTo("'a' 'b c'");
    }

    @Test
    void rejectsNulAndNull() {
        assertThatThrownBy(() -> Shell.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shell.quoteAll(List.of("ok", "\0"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Shell.quote(null)).isInstanceOf(NullPointerException.class);
    }

    private static byte[] run(ProcessBuilder builder, byte[] stdin) throws IOException, InterruptedException {
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return out;
    }
}
