package dev.cairn.bootstrap.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The renewal's check reads the host's expiries against the host's clock. */
class CertificateRenewalStepTest {
  private static final long NOW = 1_800_000_000L;
  private final CertificateRenewalStep step = new CertificateRenewalStep();
  private final NodePlan plan = new NodePlan(dev.cairn.api.v1alpha1.HostNode.Role.CONTROL_PLANE,
      dev.cairn.common.KubernetesVersion.parse("v1.37.2"), dev.cairn.api.v1alpha1.PackagesSpec.Source.UPSTREAM, null,
      null, null, null, "192.168.56.0/24", "192.168.56.30", java.util.List.of(), null, null)
      .withRenewal(new NodePlan.Renewal(Duration.ofDays(30), Duration.ofMinutes(10)));

  private static HostFacts facts(String certs) {
    return HostFacts.parse("os.id=debian\n" + certs + "facts.end=ok\n");
  }

  @Test
  void dueWhenTheFirstCertificateExpiresWithinTheMarginOfTheHostsClock() {
    HostFacts facts = facts("certs.now=" + NOW + "\ncert.apiserver=" + (NOW + 400 * 86400) + "\ncert.admin.conf="
        + (NOW + 20 * 86400) + "\n");
    assertThat(step.check(facts, plan).satisfied()).isFalse();
    assertThat(step.check(facts, plan).message()).contains("admin.conf expires at", "within renewBefore (720h0m0s)");
    assertThat(step.apply(facts, plan)).hasValueSatisfying(s -> assertThat(s).contains("kubeadm certs renew all",
        "HEALTH_WAIT='600'"));
  }

  @Test
  void fineOutsideTheMarginOrWithoutCertificates() {
    assertThat(step.check(facts("certs.now=" + NOW + "\ncert.apiserver=" + (NOW + 31 * 86400) + "\n"), plan).message())
        .startsWith("certificates valid until");
    assertThat(step.check(facts("certs.now=" + NOW + "\ncert.apiserver=" + (NOW + 31 * 86400) + "\n"), plan)
        .satisfied()).isTrue();
    assertThat(step.check(facts(""), plan).satisfied()).isTrue();
  }

  /**
   * Renewed certificates (every one of them) that are still within renewBefore (it leaves less than the renewal took
   * of their validity: seen in the e2e, 2 h certificates with renewBefore 1h55m and a 7-minute
   * renewal) are a renewal done; expiries that did not move are not.
   */
  @Test
  void aRenewalThatMovedTheExpiryIsDoneEvenIfStillWithinRenewBefore() {
    HostFacts before = facts("certs.now=" + NOW + "\ncert.apiserver=" + (NOW + 86400) + "\n");
    HostFacts renewedButDue = facts("certs.now=" + (NOW + 420) + "\ncert.apiserver=" + (NOW + 420 + 2 * 86400) + "\n");
    assertThat(step.check(renewedButDue, plan).satisfied()).isFalse();
    assertThat(step.verify(before, renewedButDue, plan).satisfied()).isTrue();
    assertThat(step.verify(before, renewedButDue, plan).message()).startsWith("renewed: apiserver now expires at")
        .contains("still within renewBefore (720h0m0s)");
    HostFacts unchanged = facts("certs.now=" + (NOW + 420) + "\ncert.apiserver=" + (NOW + 86400) + "\n");
    assertThat(step.verify(before, unchanged, plan).satisfied()).isFalse();
    // one of two renewed is not a renewal done, though the earliest expiry moved
    HostFacts two = facts("certs.now=" + NOW + "\ncert.apiserver=" + (NOW + 86400) + "\ncert.admin.conf=" + (NOW + 2 * 86400)
        + "\n");
    HostFacts oneRenewed = facts("certs.now=" + (NOW + 420) + "\ncert.apiserver=" + (NOW + 420 + 3 * 86400)
        + "\ncert.admin.conf=" + (NOW + 2 * 86400) + "\n");
    assertThat(step.verify(two, oneRenewed, plan).satisfied()).isFalse();
    HostFacts renewedAndFine = facts("certs.now=" + (NOW + 420) + "\ncert.apiserver=" + (NOW + 420 + 40 * 86400) + "\n");
    assertThat(step.verify(before, renewedAndFine, plan).message()).startsWith("certificates valid until");
  }
}
