package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  @Test
  void helpListsEveryOption() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("--embedded", "--install-crds", "--namespaces", "--concurrency", "--resync",
        "--[no-]leader-election", "--lease-namespace", "--health-port", "--metrics-port");
  }

  @Test
  void durationsParseInBothForms() {
    assertThat(Main.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Main.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Main.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Main.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Main.parseDuration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> Main.parseDuration("5 minutes")).hasMessageContaining("not a duration");
  }

  @Test
  void badSettingsAreRejectedWithAClearMessage() {
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main()).setErr(new PrintWriter(err)).execute("--concurrency", "0",
        "--health-port", "-1", "--metrics-port", "-1");
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("concurrency must be at least 1");
  }
}
