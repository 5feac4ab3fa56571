package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import dev.cairn.status.Versions;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, from the management cluster alone, whether a member moves to the Cluster's
 * {@code kubernetesVersion} now, as kubeadm's upgrade documents it: control planes one at a time,
 * oldest first, the oldest running {@code kubeadm upgrade apply}; workers only once every control
 * plane is done, at most {@code spec.rollout.maxUnavailable} at once, oldest first; and nothing
 * starts while a member that is not itself upgrading is not Ready. The order is a function of
 * what every node's status says, so the operators' concurrent reconciles agree without a lock, and
 * a node that began its upgrade finishes it whatever else happens.
 */
final class UpgradePlanner {
  sealed interface Decision permits Current, Proceed, Wait {}

  /** Nothing to move: not a member yet, or at the Cluster's version. */
  record Current() implements Decision {}

  /** Move now; drain first when other nodes can take the pods. */
  record Proceed(NodePlan.Upgrade upgrade, boolean drain) implements Decision {}

  /** Behind the Cluster's version, and not its turn (or the rollout is held): why. */
  record Wait(KubernetesVersion from, KubernetesVersion to, String reason, String message, boolean needsPerson)
      implements Decision {}

  /** A member's UpToDate reasons that say its upgrade has begun: it goes on to the end. */
  private static final Set<String> UNDER_WAY = Set.of(Reason.UPGRADING, Reason.DRAINING_NODE);

  private UpgradePlanner() {}

  static Decision decide(HostNode node, Cluster cluster, Collection<? extends HostNode> members, int maxUnavailable) {
    KubernetesVersion target = KubernetesVersion.parse(cluster.getSpec().getKubernetesVersion());
    Optional<KubernetesVersion> mine = running(node);
    if (!JoinPlanner.joined(node) || node.getMetadata().getDeletionTimestamp() != null || mine.isEmpty()
        || mine.get().compareTo(target) >= 0) {
      return new Current();
    }
    KubernetesVersion from = mine.get();
    List<HostNode> live = members.stream().map(HostNode.class::cast)
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null && JoinPlanner.joined(n))
        .sorted(JoinPlanner.OLDEST_FIRST).toList();
    boolean controlPlane = node.role() == HostNode.Role.CONTROL_PLANE;
    List<HostNode> controlPlanes = live.stream().filter(n -> n.role() == HostNode.Role.CONTROL_PLANE).toList();
    boolean apply = controlPlane && controlPlanes.stream().noneMatch(n -> at(n, target));
    boolean drain = live.stream().anyMatch(n -> !JoinPlanner.same(n, node));
    if (underWay(node)) {
      // it finishes the version it began with; a later spec change is a next round, in order
      KubernetesVersion began = inFlight(node).orElse(target);
      boolean applyBegan = controlPlane && controlPlanes.stream().noneMatch(n -> at(n, began));
      return new Proceed(new NodePlan.Upgrade(from, began, applyBegan), drain);
    }
    for (HostNode n : live) {
      Optional<KubernetesVersion> v = running(n);
      if (v.isPresent() && v.get().minorsTo(target) > 1) {
        return new Wait(from, target, Reason.UPGRADE_BLOCKED, n.getMetadata().getName() + " runs " + v.get()
            + ", more than one minor behind " + target + ": kubeadm upgrades one minor at a time", true);
      }
    }
    List<String> notReady = live.stream()
        .filter(n -> !JoinPlanner.same(n, node) && !underWay(n) && !ready(n)).map(n -> n.getMetadata().getName()).toList();
    if (!notReady.isEmpty() || !ready(node)) {
      List<String> all = new java.util.ArrayList<>(notReady);
      if (!ready(node)) {
        all.add(0, node.getMetadata().getName());
      }
      return new Wait(from, target, Reason.UPGRADE_BLOCKED, "the rollout to " + target
          + " goes on while every member is Ready; not Ready: " + String.join(", ", all), false);
    }
    if (controlPlane) {
      for (HostNode older : controlPlanes) {
        if (JoinPlanner.same(older, node)) {
          break;
        }
        if (!at(older, target)) {
          return new Wait(from, target, Reason.UPGRADE_PENDING,
              "control planes upgrade one at a time, oldest first; waiting for " + older.getMetadata().getName(), false);
        }
      }
      return new Proceed(new NodePlan.Upgrade(from, target, apply), drain);
    }
    List<String> behind = controlPlanes.stream().filter(n -> !at(n, target)).map(n -> n.getMetadata().getName()).toList();
    if (!behind.isEmpty()) {
      return new Wait(from, target, Reason.UPGRADE_PENDING, "workers upgrade once every control plane runs " + target
          + " (" + (controlPlanes.size() - behind.size()) + "/" + controlPlanes.size() + "); waiting for "
          + String.join(", ", behind), false);
    }
    List<HostNode> waiting = live.stream()
        .filter(n -> n.role() == HostNode.Role.WORKER && !at(n, target)).toList();
    int turn = 0;
    for (HostNode n : waiting) {
      if (JoinPlanner.same(n, node)) {
        break;
      }
      turn++;
    }
    if (turn >= maxUnavailable) {
      return new Wait(from, target, Reason.UPGRADE_PENDING, "at most " + maxUnavailable + " worker(s) upgrade at a time"
          + " (spec.rollout.maxUnavailable), oldest first; waiting for " + String.join(", ",
              waiting.subList(0, turn).stream().map(n -> n.getMetadata().getName()).toList()), false);
    }
    return new Proceed(new NodePlan.Upgrade(from, target, false), drain);
  }

  /**
   * What of the upgrade a host run takes: the decided step when the member moves; when it waits,
   * only the look at its package source (so the first control plane knows every member can follow);
   * null when it is current.
   */
  static NodePlan.Upgrade hostStep(Decision decision) {
    if (decision instanceof Proceed proceed) {
      return proceed.upgrade();
    }
    return decision instanceof Wait wait ? NodePlan.Upgrade.sourceOnly(wait.from(), wait.to()) : null;
  }

  /**
   * Before the first control plane starts: the members (other than {@code node}) whose package
   * source has not yet been seen to offer {@code to}, and what they said; empty when all have (or
   * Cairn installs nothing: {@code packages.source: preinstalled}).
   */
  static Optional<String> sourcesUnconfirmed(HostNode node, Cluster cluster, Collection<? extends HostNode> members,
      KubernetesVersion to) {
    if (cluster.getSpec().getPackages() != null
        && cluster.getSpec().getPackages().getSource() == dev.cairn.api.v1alpha1.PackagesSpec.Source.PREINSTALLED) {
      return Optional.empty();
    }
    List<String> unconfirmed = members.stream().map(HostNode.class::cast)
        .filter(n -> !JoinPlanner.same(n, node) && n.getMetadata().getDeletionTimestamp() == null
            && JoinPlanner.joined(n) && !at(n, to) && !to.toString().equals(n.getStatus().getPackagesAvailable()))
        .sorted(JoinPlanner.OLDEST_FIRST)
        .map(n -> n.getMetadata().getName() + Conditions.find(n.getStatus().getConditions(), ConditionType.UP_TO_DATE)
            .filter(c -> Reason.UPGRADE_BLOCKED.equals(c.getReason())
                && c.getMessage() != null && c.getMessage().startsWith(dev.cairn.bootstrap.StepId.UPGRADE_SOURCE.stepName()))
            .map(c -> " (" + c.getMessage() + ")").orElse(""))
        .toList();
    return unconfirmed.isEmpty() ? Optional.empty() : Optional.of("the rollout to " + to + " starts once every member's"
        + " package source offers kubeadm, kubelet and kubectl at it; not confirmed yet: " + String.join(", ", unconfirmed));
  }

  /** Whether the node is behind the Cluster's version: only then is a decision worth the API calls. */
  static boolean behind(HostNode node, Cluster cluster) {
    KubernetesVersion target = KubernetesVersion.parse(cluster.getSpec().getKubernetesVersion());
    return running(node).map(v -> v.compareTo(target) < 0).orElse(false);
  }

  static Optional<KubernetesVersion> running(HostNode node) {
    return Versions.running(node);
  }

  /**
   * The version a node's packages are held at: a member keeps the one it runs (only a rollout moves
   * it); a node not yet a member installs the one every member runs, so it never joins newer than
   * a control plane in the middle of a rollout; before there is one, the spec's.
   */
  static KubernetesVersion installVersion(HostNode node, Cluster cluster) {
    Optional<KubernetesVersion> mine = running(node);
    if (mine.isPresent() && JoinPlanner.joined(node)) {
      return mine.get();
    }
    String clusterVersion = cluster.getStatus() == null ? null : cluster.getStatus().getKubernetesVersion();
    return KubernetesVersion.parse(clusterVersion != null ? clusterVersion : cluster.getSpec().getKubernetesVersion());
  }

  private static Optional<KubernetesVersion> inFlight(HostNode n) {
    try {
      return Optional.ofNullable(n.getStatus().getUpgradingTo()).map(KubernetesVersion::parse);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean at(HostNode n, KubernetesVersion target) {
    return running(n).map(v -> v.compareTo(target) >= 0).orElse(false);
  }

  static boolean underWay(HostNode n) {
    return n.getStatus() != null && Conditions.find(n.getStatus().getConditions(), ConditionType.UP_TO_DATE)
        .filter(c -> Conditions.FALSE.equals(c.getStatus()) && UNDER_WAY.contains(c.getReason())).isPresent();
  }

  private static boolean ready(HostNode n) {
    return n.getStatus() != null && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.NODE_READY);
  }
}
