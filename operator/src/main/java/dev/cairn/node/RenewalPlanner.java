package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.bootstrap.CertificateExpiry;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.StepId;
import dev.cairn.common.GoDuration;
import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.status.CertificateDates;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from the management cluster alone, whether a control plane renews its kubeadm
 * certificates now: when the first of them (its {@code status.certificatesExpireAt}, from the
 * host's facts) expires within the Cluster's {@code certificates.renewBefore}, and it is its turn.
 * Control planes go one at a time, oldest first: a due control plane waits while an older one is
 * due too or has not said yet when its certificates expire, while it or another is not Ready,
 * while another is renewing, and while a version rollout moves a control plane (the upgrade renews certificates
 * itself). As with {@link UpgradePlanner} the order is a function of
 * what every node's status says, so concurrent reconciles agree without a lock.
 *
 * <p>A renewal whose certificates are due again at once (a renewBefore that leaves less of their
 * validity than a renewal takes) must not restart the control plane back to back: when they were
 * due again within an hour of the renewal, the next waits an hour, or until half the time left to
 * the expiry has passed if that is sooner, so they are still renewed before they expire.
 */
final class RenewalPlanner {
  sealed interface Decision permits NotDue, Held, Renew, Wait {}

  /** The shortest time between two renewals of one control plane. */
  static final Duration BETWEEN_RENEWALS = Duration.ofHours(1);

  /** Nothing to renew (not a control plane, expiry unknown yet, or far enough away). */
  record NotDue() implements Decision {}

  /** Due again just after Cairn renewed it: not before {@code until}. */
  record Held(Instant until, String message) implements Decision {}

  /** This control plane's turn. */
  record Renew(NodePlan.Renewal renewal, Instant expiresAt) implements Decision {}

  /** Due, but not its turn: why. */
  record Wait(Instant expiresAt, String message) implements Decision {}

  private RenewalPlanner() {}

  static Decision decide(HostNode node, Cluster cluster, Collection<? extends HostNode> members, Instant now) {
    Optional<Instant> mine = CertificateDates.expiresAt(node.getStatus());
    Duration margin = cluster.getSpec().certificatesOrDefault().renewBeforeOrDefault();
    if (node.role() != HostNode.Role.CONTROL_PLANE || !JoinPlanner.joined(node)
        || node.getMetadata().getDeletionTimestamp() != null || mine.isEmpty() || !CertificateExpiry.due(mine.get(), now, margin)) {
      return new NotDue();
    }
    Optional<Held> held = held(node.getStatus(), margin, now);
    if (held.isPresent()) {
      return held.get();
    }
    if (node.getStatus() == null || !Conditions.isTrue(node.getStatus().getConditions(), ConditionType.NODE_READY)) {
      // not while the control plane is still coming up or is unwell: its restarts would make it worse
      return new Wait(mine.get(), "renewal waits for this control plane's Node to be Ready");
    }
    List<HostNode> controlPlanes = members.stream().map(HostNode.class::cast)
        .filter(n -> n.role() == HostNode.Role.CONTROL_PLANE && n.getMetadata().getDeletionTimestamp() == null
            && JoinPlanner.joined(n))
        .sorted(JoinPlanner.OLDEST_FIRST).toList();
    for (HostNode other : controlPlanes) {
      if (JoinPlanner.same(other, node)) {
        break;
      }
      Optional<Instant> theirs = CertificateDates.expiresAt(other.getStatus());
      if (theirs.isEmpty()) {
        // not read yet: it may be due as well, and it goes first
        return new Wait(mine.get(), "control plane " + other.getMetadata().getName()
            + " goes first, and its certificates' expiry is not known yet");
      }
      if (CertificateExpiry.due(theirs.get(), now, margin) && held(other.getStatus(), margin, now).isEmpty()) {
        return new Wait(mine.get(), "control plane " + other.getMetadata().getName() + " renews its certificates first");
      }
    }
    for (HostNode other : controlPlanes) {
      if (JoinPlanner.same(other, node)) {
        continue;
      }
      if (other.getStatus() != null && other.getStatus().getSteps() != null && other.getStatus().getSteps().stream()
          .anyMatch(st -> StepId.CERTIFICATE_RENEWAL.stepName().equals(st.name())
              && st.state() == StepStatus.State.Running)) {
        return new Wait(mine.get(), "control plane " + other.getMetadata().getName() + " is renewing its certificates");
      }
      if (other.getStatus() != null && other.getStatus().getUpgradingTo() != null) {
        return new Wait(mine.get(), "control plane " + other.getMetadata().getName() + " is upgrading");
      }
      if (other.getStatus() == null || !Conditions.isTrue(other.getStatus().getConditions(), ConditionType.NODE_READY)) {
        return new Wait(mine.get(), "control plane " + other.getMetadata().getName() + " is not Ready");
      }
    }
    Duration healthWait = KubeadmTuning.of(cluster.getSpec()).timeouts()
        .getOrDefault("controlPlaneComponentHealthCheck", Duration.ofMinutes(10));
    return new Renew(new NodePlan.Renewal(margin, healthWait), mine.get());
  }

  /**
   * The hold on a control plane whose certificates are due under {@code margin} at {@code now}
   * and were due again within an hour of Cairn's renewal of them (see {@link #heldUntil}), with why;
   * empty when they are not due or nothing holds them.
   */
  static Optional<Held> held(NodeStatus status, Duration margin, Instant now) {
    Optional<Instant> expires = CertificateDates.expiresAt(status);
    Optional<Instant> until = heldUntil(status, margin).filter(now::isBefore);
    if (expires.isEmpty() || until.isEmpty() || !CertificateExpiry.due(expires.get(), now, margin)) {
      return Optional.empty();
    }
    Instant renewed = CertificateDates.renewedAt(status).orElseThrow();
    Duration left = Duration.between(renewed, expires.get()).minus(margin);
    return Optional.of(new Held(until.get(), "certificates renewed at " + renewed + " are due again already:"
        + " renewBefore (" + GoDuration.format(margin) + ") left " + GoDuration.format(left.isNegative() ? Duration.ZERO : left)
        + " of their validity before they were due; the next renewal waits until " + until.get()
        + ", not back to back; lower certificates.renewBefore"));
  }

  /**
   * Until when a control plane whose certificates Cairn renewed, and which were due again within
   * an hour of it under {@code margin}, may not renew again: an hour after that renewal, or half
   * way from it to their expiry if that is sooner. Empty when they were not due that soon, when
   * Cairn never renewed the certificates the host has, or the status cannot say.
   */
  static Optional<Instant> heldUntil(NodeStatus status, Duration margin) {
    Optional<Instant> expires = CertificateDates.expiresAt(status);
    Optional<Instant> renewed = CertificateDates.renewedAt(status);
    if (expires.isEmpty() || renewed.isEmpty() || !expires.get().isAfter(renewed.get())
        || !expires.get().minus(margin).isBefore(renewed.get().plus(BETWEEN_RENEWALS))) {
      return Optional.empty();
    }
    Instant half = renewed.get().plus(Duration.between(renewed.get(), expires.get()).dividedBy(2));
    Instant hour = renewed.get().plus(BETWEEN_RENEWALS);
    return Optional.of(half.isBefore(hour) ? half : hour);
  }
}
