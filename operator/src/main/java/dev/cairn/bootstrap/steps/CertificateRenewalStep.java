package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.CertificateExpiry;
import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import dev.cairn.common.GoDuration;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A control plane's kubeadm certificates renewed in place before they expire, as kubeadm
 * documents it: {@code kubeadm certs renew all}, then the control-plane static Pods restarted one
 * at a time so they load the new files, each waited for, and the API server ready again. In the
 * plan only on the control plane whose turn it is ({@link NodePlan#renewal()}); the check reads
 * the expiries from the host ({@code certificate-renewal.facts.sh}) against the host's clock.
 * The script is {@code certificate-renewal.sh}.
 */
public final class CertificateRenewalStep implements Step {
  @Override
  public StepId id() {
    return StepId.CERTIFICATE_RENEWAL;
  }

  /** Renewing takes seconds; restarting four static Pods, each waited for, takes longer. */
  @Override
  public Duration timeout(NodePlan plan) {
    return plan.renewal().healthWait().multipliedBy(5).plusMinutes(2);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    Optional<CertificateExpiry> expiry = CertificateExpiry.of(facts);
    if (expiry.isEmpty() || expiry.get().first().isEmpty()) {
      return Check.ok("no kubeadm certificates to renew on this host");
    }
    Map.Entry<String, java.time.Instant> first = expiry.get().first().get();
    Duration renewBefore = plan.renewal().renewBefore();
    if (expiry.get().due(renewBefore)) {
      return Check.missing(first.getKey() + " expires at " + first.getValue() + ", within renewBefore ("
          + GoDuration.format(renewBefore) + ") of the host's clock (" + expiry.get().now() + ")");
    }
    return Check.ok("certificates valid until " + first.getValue() + " (" + first.getKey() + " first)");
  }

  /**
   * Renewed when every certificate's expiry moved forward: a renewal cannot make them newer than
   * that, so one that is due again at once (renewBefore near their validity, or a renewal that
   * took longer than validity less renewBefore) is still a renewal done, said in the message, and
   * not an apply that failed.
   */
  @Override
  public Check verify(HostFacts before, HostFacts after, NodePlan plan) {
    Check check = check(after, plan);
    if (check.satisfied()) {
      return check;
    }
    Optional<CertificateExpiry> was = CertificateExpiry.of(before);
    Optional<CertificateExpiry> now = CertificateExpiry.of(after);
    if (was.isEmpty() || now.isEmpty() || was.get().expiries().isEmpty() || now.get().first().isEmpty()) {
      return check;
    }
    // every certificate there before now expires later: all of them were renewed
    boolean allMoved = was.get().expiries().entrySet().stream().allMatch(e -> {
      java.time.Instant later = now.get().expiries().get(e.getKey());
      return later != null && later.isAfter(e.getValue());
    });
    if (allMoved) {
      Map.Entry<String, java.time.Instant> first = now.get().first().get();
      return Check.ok("renewed: " + first.getKey() + " now expires at " + first.getValue() + " (was "
          + was.get().first().get().getValue() + "), still within renewBefore ("
          + GoDuration.format(plan.renewal().renewBefore())
          + "): renewBefore leaves less than the renewal takes of the certificates' validity");
    }
    return check;
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.of(new StepScript().set("HEALTH_WAIT", String.valueOf(plan.renewal().healthWait().toSeconds()))
        .file("certificate-renewal").toString());
  }
}
