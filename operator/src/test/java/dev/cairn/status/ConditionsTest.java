package dev.cairn.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final Conditions conditions = new Conditions(clock);

  @Test
  void initializeAddsEveryTypeAsUnknownNotYetReportedWithReadyFirst() {
    List<Condition> list = new ArrayList<>();
    assertThat(conditions.initialize(list, List.of("HostReachable", "Ready", "Stalled"), 3)).isTrue();
    assertThat(list).extracting(Condition::getType).containsExactly("Ready", "HostReachable", "Stalled");
    assertThat(list).allSatisfy(c -> {
      assertThat(c.getStatus()).isEqualTo("Unknown");
      assertThat(c.getReason()).isEqualTo("NotYetReported");
      assertThat(c.getObservedGeneration()).isEqualTo(3L);
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    });
    assertThat(conditions.initialize(list, List.of("HostReachable", "Ready", "Stalled"), 3)).isFalse();
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenStatusFlips() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "HostReachable", "False", "HostUnreachable", "connection refused", 1);
    clock.now = Instant.parse("2026-11-25T10:05:00Z");
    assertThat(conditions.set(list, "HostReachable", "False", "AuthenticationFailed", "denied", 1)).isTrue();
    assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    clock.now = Instant.parse("2026-11-25T10:07:00Z");
    assertThat(conditions.set(list, "HostReachable", "True", "Connected", "", 1)).isTrue();
    assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T10:07:00Z");
  }

  @Test
  void settingTheSameValueReportsNoChange() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "Ready", "True", "Converged", "", 2);
    clock.now = Instant.parse("2026-11-25T11:00:00Z");
    assertThat(conditions.set(list, "Ready", "True", "Converged", null, 2)).isFalse();
    assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void newGenerationIsStampedWithoutMovingTransitionTime() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "Ready", "True", "Converged", "", 2);
    clock.now = Instant.parse("2026-11-25T11:00:00Z");
    assertThat(conditions.set(list, "Ready", "True", "Converged", "", 3)).isTrue();
    assertThat(list.get(0).getObservedGeneration()).isEqualTo(3L);
    assertThat(list.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
  }

  @Test
  void observeStampsOnlyOwnedTypes() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "Ready", "True", "Converged", "", 1);
    list.add(new Condition("2026-01-01T00:00:00Z", "", 1L, "Whatever", "True", "ExternalThing"));
    assertThat(conditions.observe(list, List.of("Ready"), 2)).isTrue();
    assertThat(list).extracting(Condition::getObservedGeneration).containsExactly(2L, 1L);
    assertThat(conditions.observe(list, List.of("Ready"), 2)).isFalse();
  }

  @Test
  void conditionsOwnedByOthersSurvive() {
    List<Condition> list = new ArrayList<>();
    list.add(new Condition("2026-01-01T00:00:00Z", "", 1L, "Whatever", "True", "ExternalThing"));
    conditions.initialize(list, List.of("Ready"), 1);
    assertThat(list).extracting(Condition::getType).containsExactly("Ready", "ExternalThing");
  }

  @Test
  void copyIsDeep() {
    List<Condition> list = new ArrayList<>();
    conditions.set(list, "Ready", "True", "Converged", "", 1);
    List<Condition> copy = Conditions.copy(list);
    conditions.set(copy, "Ready", "False", "Broken", "", 1);
    assertThat(list.get(0).getStatus()).isEqualTo("True");
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
