package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.CertificatesSpec;
import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose turn it is to renew certificates, decided from the nodes' status alone. */
class RenewalPlannerTest {
  private static final Conditions CONDITIONS = new Conditions(Clock.systemUTC());
  private static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");

  private final Cluster cluster = UpgradePlannerTest.cluster("v1.37.2");
  private final ControlPlaneNode cp1 = UpgradePlannerTest.member(new ControlPlaneNode(), "cp1", "2026-01-01T00:00:00Z", "v1.37.2");
  private final ControlPlaneNode cp2 = UpgradePlannerTest.member(new ControlPlaneNode(), "cp2", "2026-01-02T00:00:00Z", "v1.37.2");
  private final WorkerNode w1 = UpgradePlannerTest.member(new WorkerNode(), "w1", "2026-01-01T00:00:00Z", "v1.37.2");
  private final List<HostNode> all = List.of(w1, cp2, cp1);

  private RenewalPlanner.Decision decide(HostNode node) {
    return RenewalPlanner.decide(node, cluster, all, NOW);
  }

  private static void expires(HostNode n, Duration in) {
    n.getStatus().setCertificatesExpireAt(NOW.plus(in).toString());
  }

  @Test
  void farFromExpiryOrUnknownOrAWorkerNothingIsDue() {
    expires(cp1, Duration.ofDays(31));
    assertThat(decide(cp1)).isInstanceOf(RenewalPlanner.NotDue.class);
    assertThat(decide(cp2)).as("no expiry known yet").isInstanceOf(RenewalPlanner.NotDue.class);
    expires(w1, Duration.ofDays(1));
    assertThat(decide(w1)).isInstanceOf(RenewalPlanner.NotDue.class);
  }

  @Test
  void withinTheDefaultThirtyDaysTheOldestControlPlaneRenewsAndTheNextWaitsForIt() {
    expires(cp1, Duration.ofDays(29));
    expires(cp2, Duration.ofDays(29));
    assertThat(decide(cp1)).isInstanceOfSatisfying(RenewalPlanner.Renew.class, r -> {
      assertThat(r.renewal().renewBefore()).isEqualTo(Duration.ofDays(30));
      assertThat(r.renewal().healthWait()).isEqualTo(Duration.ofMinutes(10));
    });
    assertThat(decide(cp2)).isInstanceOfSatisfying(RenewalPlanner.Wait.class, w ->
        assertThat(w.message()).contains("cp1 renews its certificates first"));
    // cp1 done: its status says a year
    expires(cp1, Duration.ofDays(365));
    assertThat(decide(cp1)).isInstanceOf(RenewalPlanner.NotDue.class);
    assertThat(decide(cp2)).isInstanceOf(RenewalPlanner.Renew.class);
  }

  @Test
  void anOlderControlPlaneWhoseExpiryIsNotKnownYetOrThatIsRenewingGoesFirst() {
    expires(cp2, Duration.ofDays(1));
    assertThat(decide(cp2)).isInstanceOfSatisfying(RenewalPlanner.Wait.class, w ->
        assertThat(w.message()).contains("cp1 goes first, and its certificates' expiry is not known yet"));
    expires(cp1, Duration.ofDays(200));
    assertThat(decide(cp2)).isInstanceOf(RenewalPlanner.Renew.class);
    cp1.getStatus().setSteps(List.of(new dev.cairn.api.v1alpha1.StepStatus("certificate-renewal",
        dev.cairn.api.v1alpha1.StepStatus.State.Running, 1, null, null, null)));
    assertThat(decide(cp2)).isInstanceOfSatisfying(RenewalPlanner.Wait.class, w ->
        assertThat(w.message()).contains("cp1 is renewing its certificates"));
  }

  @Test
  void aControlPlaneThatIsNotReadyDoesNotRestartItsComponents() {
    expires(cp1, Duration.ofDays(1));
    CONDITIONS.set(cp1.getStatus().getConditions(), ConditionType.NODE_READY, "False", "KubeletNotReady", "", 1);
    assertThat(decide(cp1)).isInstanceOfSatisfying(RenewalPlanner.Wait.class, w ->
        assertThat(w.message()).contains("this control plane's Node to be Ready"));
  }

  @Test
  void theMarginIsTheSpecsAndAnotherControlPlaneNotReadyOrUpgradingHoldsIt() {
    cluster.getSpec().setCertificates(new CertificatesSpec("1h40m", "2h"));
    expires(cp1, Duration.ofMinutes(101));
    expires(cp2, Duration.ofMinutes(99));
    expires(cp1, Duration.ofMinutes(101));
    assertThat(decide(cp1)).isInstanceOf(RenewalPlanner.NotDue.class);
    assertThat(decide(cp2)).isInstanceOfSatisfying(RenewalPlanner.Renew.class, r ->
        assertThat(r.renewal().renewBefore()).isEqualTo(Duration.ofMinutes(100)));
    CONDITIONS.set(cp1.getStatus().getConditions(), ConditionType.NODE_READY, "False", "KubeletNotReady", "", 1);
    assertThat(decide(cp2)).isInstanceOfSatisfying(RenewalPlanner.Wait.class, w ->
        assertThat(w.message()).contains("cp1 is not Ready"));
    CONDITIONS.set(cp1.getStatus().getConditions(), ConditionType.NODE_READY, "True", "KubeletReady", "", 1);
    cp1.getStatus().setUpgradingTo("v1.38.0");
    assertThat(decide(cp2)).isInstanceOfSatisfying(RenewalPlanner.Wait.class, w ->
        assertThat(w.message()).contains("cp1 is upgrading"));
  }

  @Test
  void aRenewalWhoseCertificatesAreDueAgainAtOnceIsNotRepeatedBackToBack() {
    cluster.getSpec().setCertificates(new CertificatesSpec("1h55m", "2h"));
    expires(cp1, Duration.ofMinutes(110));
    expires(cp2, Duration.ofDays(300));
    assertThat(decide(cp1)).as("never renewed by Cairn: due, its turn").isInstanceOf(RenewalPlanner.Renew.class);
    // renewed ten minutes ago: two hours from then, within 1h55m again five minutes after it
    cp1.getStatus().setCertificatesRenewedAt(NOW.minus(Duration.ofMinutes(10)).toString());
    assertThat(decide(cp1)).isInstanceOfSatisfying(RenewalPlanner.Held.class, h -> {
      assertThat(h.until()).isEqualTo(NOW.plus(Duration.ofMinutes(50)));
      assertThat(h.message()).contains("renewBefore (1h55m0s) left 5m0s of their validity");
    });
    assertThat(RenewalPlanner.decide(cp1, cluster, all, NOW.plus(Duration.ofMinutes(49))))
        .isInstanceOf(RenewalPlanner.Held.class);
    assertThat(RenewalPlanner.decide(cp1, cluster, all, NOW.plus(Duration.ofMinutes(50))))
        .as("an hour after the renewal it renews again, before they expire").isInstanceOf(RenewalPlanner.Renew.class);
    // a younger control plane due too does not wait for the held one
    expires(cp2, Duration.ofMinutes(100));
    assertThat(decide(cp2)).isInstanceOf(RenewalPlanner.Renew.class);
    // certificates of 40 minutes: half way, not an hour, or they would expire first
    expires(cp1, Duration.ofMinutes(30));
    assertThat(RenewalPlanner.heldUntil(cp1.getStatus(), Duration.ofMinutes(115))).contains(NOW.plus(Duration.ofMinutes(10)));
  }

  @Test
  void aRenewalLongAgoHoldsNothing() {
    expires(cp1, Duration.ofDays(29));
    cp1.getStatus().setCertificatesRenewedAt(NOW.minus(Duration.ofDays(336)).toString());
    assertThat(decide(cp1)).isInstanceOf(RenewalPlanner.Renew.class);
    // renewed a month ago for a year; renewBefore then raised to renew now: nothing holds that
    cp1.getStatus().setCertificatesRenewedAt(NOW.minus(Duration.ofDays(30)).toString());
    expires(cp1, Duration.ofDays(335));
    cluster.getSpec().setCertificates(new CertificatesSpec("8100h", null));
    assertThat(decide(cp1)).isInstanceOf(RenewalPlanner.Renew.class);
    cp1.getStatus().setCertificatesRenewedAt("yesterday");
    assertThat(RenewalPlanner.heldUntil(cp1.getStatus(), Duration.ofMinutes(115))).as("unreadable: no hold").isEmpty();
  }
}
