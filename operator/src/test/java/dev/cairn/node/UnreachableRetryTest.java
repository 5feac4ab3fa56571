package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long a host that does not answer is left alone: the gaps double, up to the resync. */
class UnreachableRetryTest {
  private static final Instant LOST = Instant.parse("2026-11-26T10:00:00Z");
  private static final Duration RESYNC = Duration.ofMinutes(10);

  @Test
  void aHostJustLostIsTriedAgainSoon() {
    assertThat(NodeRules.unreachableRetry(LOST, LOST, RESYNC)).isEqualTo(Duration.ofSeconds(30));
    assertThat(NodeRules.unreachableRetry(LOST, LOST.plusSeconds(20), RESYNC)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theGapsDoubleWhileItStaysAway() {
    Instant now = LOST;
    StringBuilder tries = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      now = now.plus(NodeRules.unreachableRetry(LOST, now, RESYNC));
      tries.append(Duration.between(LOST, now).toSeconds()).append(' ');
    }
    assertThat(tries.toString().trim()).isEqualTo("30 60 120 240 480 960 1560");
  }

  @Test
  void neverLongerThanTheResync() {
    assertThat(NodeRules.unreachableRetry(LOST, LOST.plus(Duration.ofHours(3)), RESYNC)).isEqualTo(RESYNC);
    assertThat(NodeRules.unreachableRetry(LOST, LOST.plusSeconds(90), Duration.ofSeconds(45)))
        .isEqualTo(Duration.ofSeconds(45));
  }
}
