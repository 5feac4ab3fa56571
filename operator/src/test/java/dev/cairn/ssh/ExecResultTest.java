package dev.cairn.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecResultTest {

    private static ExecResult result(int exit, String out, String err, boolean timedOut) {
        return new ExecResult(exit, out, err, Duration.ofMillis(5), timedOut);
    }

    @Test
    void okOnlyForExitZeroWithoutTimeout() {
        assertThat(result(0, "", "", false).ok()).isTrue();
        assertThat(result(3, "", "", false).ok()).isFalse();
        assertThat(result(-1, "", "", true).ok()).isFalse();
        assertThat(result(0, "", "", true).ok()).isFalse();
    }

    @Test
    void tailPrefersEndOfStderrThenFillsWithStdout() {
        ExecResult r = result(1, "progress 1\nprogress 2\n", "error: boom\n", false);

        assertThat(r.tail(1000)).isEqualTo("progress 1\nprogress 2\nerror: boom\n");
        assertThat(r.tail(5)).isEqualTo("boom\n");
        assertThat(r.tail(12)).isEqualTo("error: boom\n");
        assertThat(r.tail(23)).isEqualTo("progress 2\nerror: boom\n");
        assertThat(r.tail(0)).isEmpty();
    }

    @Test
    void tailSeparatesStdoutWithoutTrailingNewline() {
        ExecResult r = result(1, "abcdef", "err", false);

        assertThat(r.tail(100)).isEqualTo("abcdef\nerr");
        assertThat(r.tail(6)).isEqualTo("ef\nerr");
        assertThat(r.tail(4)).isEqualTo("err");
        assertThat(r.tail(100)).hasSizeLessThanOrEqualTo(100);
        assertThat(result(0, "only out", "", false).tail(3)).isEqualTo("out");
    }

    @Test
    void tailNeverSplitsASurrogatePair() {
        ExecResult r = result(1, "", "x🚀", false);
        assertThat(r.tail(1)).isEmpty();
        assertThat(r.tail(2)).isEqualTo("🚀");
    }

    @Test
    void tailRejectsNegative() {
        assertThatThrownBy(() -> result(0, "", "", false).tail(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringDoesNotIncludeOutputWhichMayHoldSecrets() {
        ExecResult r = result(0, "token abcdef.0123456789abcdef", "pass", false);
        assertThat(r.toString()).doesNotContain("abcdef.0123456789abcdef").contains("exitCode=0");
    }

    @Test
    void redactedCopyMasksBothStreams() {
        ExecResult r = result(2, "join --token abcdef.0123456789abcdef", "hunter2 failed", false)
                .redacted(new Redactor().register("hunter2"));
        assertThat(r.stdout()).doesNotContain("abcdef.0123456789abcdef");
        assertThat(r.stderr()).isEqualTo("[REDACTED] failed");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
