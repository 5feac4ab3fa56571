package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A member's part in a version rollout, around its host steps: whether it moves now
 * ({@link UpgradePlanner}), its Node drained before (PodDisruptionBudgets respected, as long as
 * {@code spec.drainTimeout}, then held for a person), and uncordoned and recorded once it is Ready
 * at the new version.
 */
final class Rollout {
  static final Duration DRAIN_RETRY = Duration.ofSeconds(10);

  private final NodeRules rules;
  private final WorkloadAccess workload;
  private final Clock clock;

  Rollout(NodeRules rules, WorkloadAccess workload, Clock clock) {
    this.rules = rules;
    this.workload = workload;
    this.clock = clock;
  }

  /** Whether this member moves now; the rest of the cluster is read only when it is behind. */
  UpgradePlanner.Decision decide(HostNode node, Cluster cluster, Supplier<Standing> standing) {
    if (!JoinPlanner.joined(node) || !UpgradePlanner.behind(node, cluster)) {
      return new UpgradePlanner.Current();
    }
    UpgradePlanner.Decision decision = UpgradePlanner.decide(node, cluster, standing.get().members(),
        cluster.getSpec().maxUnavailableWorkers());
    if (!(decision instanceof UpgradePlanner.Proceed proceed)
        || node.getStatus() != null && node.getStatus().getUpgradingTo() != null) {
      return decision;   // waiting, or begun already: a node that began finishes
    }
    if (proceed.upgrade().apply()) {
      // the first control plane starts the rollout once every other member's package source offers the target
      Optional<String> unconfirmed = UpgradePlanner.sourcesUnconfirmed(node, cluster, standing.get().members(),
          proceed.upgrade().to());
      if (unconfirmed.isPresent()) {
        return new UpgradePlanner.Wait(proceed.upgrade().from(), proceed.upgrade().to(), Reason.UPGRADE_BLOCKED,
            unconfirmed.get(), false);
      }
    }
    if (node.role() == HostNode.Role.CONTROL_PLANE) {
      // a control plane's upgrade restarts its etcd member: not while etcd is unhealthy or without quorum
      Optional<String> etcd = etcdUnhealthy(cluster);
      if (etcd.isPresent()) {
        return new UpgradePlanner.Wait(proceed.upgrade().from(), proceed.upgrade().to(), Reason.UPGRADE_BLOCKED,
            "etcd is not healthy, so no control plane is upgraded: " + etcd.get(), false);
      }
    }
    return decision;
  }

  /** What the workload API server says of its etcd ({@code /readyz/etcd}: healthy with quorum), when it is not ok. */
  private Optional<String> etcdUnhealthy(Cluster cluster) {
    Optional<KubernetesClient> api = workload.client(cluster);
    if (api.isEmpty()) {
      return Optional.of("the workload API is not available to ask");
    }
    try {
      String answer = api.get().raw("/readyz/etcd");
      return answer != null && answer.strip().equals("ok") ? Optional.empty()
          : Optional.of("/readyz/etcd answered " + (answer == null ? "nothing" : answer.strip()));
    } catch (RuntimeException e) {
      return Optional.of("/readyz/etcd failed: " + e.getMessage());
    }
  }

  /** The member's drain for this upgrade has begun (its kubeadm half is done): the host is not asked again first. */
  static boolean draining(NodeStatus status, UpgradePlanner.Proceed proceed) {
    return proceed.upgrade().to().toString().equals(status.getUpgradingTo())
        && Conditions.find(status.getConditions(), ConditionType.UP_TO_DATE)
            .filter(c -> Reason.DRAINING_NODE.equals(c.getReason())).isPresent();
  }

  /** The host run just made went through kubeadm's half of the upgrade. */
  static boolean kubeadmUpgraded(NodeStatus status) {
    return status.getSteps() != null && status.getSteps().stream().anyMatch(s ->
        dev.cairn.bootstrap.StepId.KUBEADM_UPGRADE.stepName().equals(s.name())
            && s.state() == dev.cairn.api.v1alpha1.StepStatus.State.Succeeded)
        && status.getSteps().stream().noneMatch(s -> s.state() == dev.cairn.api.v1alpha1.StepStatus.State.Failed);
  }

  /**
   * Before the host steps of an upgrade: empty once the Node is drained (or nothing needs it),
   * else when to look again, with UpToDate saying what the drain waits for.
   */
  Optional<Duration> drained(HostNode node, Cluster cluster, NodeStatus status, UpgradePlanner.Proceed proceed) {
    String moving = "upgrading from " + proceed.upgrade().from() + " to " + proceed.upgrade().to();
    if (!proceed.drain()) {
      upgrading(node, status, proceed, Reason.UPGRADING, moving, false);
      return Optional.empty();
    }
    Optional<KubernetesClient> api = workload.client(cluster);
    String nodeName = status.getNodeName();
    if (api.isEmpty() || nodeName == null) {
      upgrading(node, status, proceed, Reason.DRAINING_NODE, moving + "; the workload API is not available to drain the"
          + " Node yet", false);
      return Optional.of(NodeRules.WAIT_RETRY);
    }
    try {
      Instant since = UpgradeCordon.mark(api.get(), nodeName, proceed.upgrade().to().toString(), clock.instant());
      NodeDrain.Progress progress = NodeDrain.step(api.get(), nodeName);
      if (progress.done()) {
        upgrading(node, status, proceed, Reason.UPGRADING, moving + "; " + progress.message(), false);
        return Optional.empty();
      }
      Duration timeout = NodeDeletion.drainTimeout(node);
      boolean overdue = clock.instant().isAfter(since.plus(timeout));
      upgrading(node, status, proceed, Reason.DRAINING_NODE, moving + "; " + progress.message()
          + (overdue ? "; the drain has taken longer than spec.drainTimeout (" + timeout.toSeconds() + "s): the"
              + " rollout holds here until the pods can leave (a PodDisruptionBudget that never allows it needs a"
              + " person)" : ""), overdue);
      return Optional.of(overdue ? NodeRules.WAIT_RETRY : DRAIN_RETRY);
    } catch (KubernetesClientException e) {
      upgrading(node, status, proceed, Reason.DRAINING_NODE, moving + "; the workload API did not answer while draining"
          + " Node " + nodeName + ": " + e.getMessage(), false);
      return Optional.of(NodeRules.WAIT_RETRY);
    }
  }

  /**
   * Before kubeadm's half of the upgrade, run while the Node is still in service: the node has
   * begun ({@code upgradingTo}), and UpToDate says what runs for as long as it runs (a control
   * plane's {@code kubeadm upgrade apply} takes minutes), not the wait that came before it.
   */
  void kubeadmFirst(HostNode node, NodeStatus status, UpgradePlanner.Proceed proceed) {
    upgrading(node, status, proceed, Reason.UPGRADING, "upgrading from " + proceed.upgrade().from() + " to "
        + proceed.upgrade().to() + "; kubeadm upgrade " + (proceed.upgrade().apply() ? "apply" : "node")
        + " on the host first, the drain after it", false);
  }

  /**
   * What the rollout says once the member's Node was seen: up to date, waiting its turn, or (its
   * host steps done) finished when the Node is Ready at the new version; returns when to look again.
   */
  Duration seen(HostNode node, Cluster cluster, NodeStatus status, UpgradePlanner.Decision decision,
      WorkloadNode.Seen seen, Duration next) {
    if (decision instanceof UpgradePlanner.Current) {
      if (status.getUpgradingTo() != null) {
        // its version was recorded before its Node was seen at it (the upgrade ran out between two
        // looks): the rollout's end for it is still to come, as below
        Optional<Duration> ending = finish(node, cluster, status, seen, status.getUpgradingTo());
        if (ending.isPresent()) {
          return ending.get();
        }
        status.setUpgradingTo(null);
      }
      if (JoinPlanner.joined(node) || Conditions.isTrue(status.getConditions(), ConditionType.JOINED)) {
        rules.upToDate(node, status, UpgradePlanner.installVersion(node, cluster));
      }
      return next;
    }
    if (decision instanceof UpgradePlanner.Wait wait) {
      return rules.upgradeWaits(node, status, wait, next);
    }
    UpgradePlanner.Proceed proceed = (UpgradePlanner.Proceed) decision;
    status.setUpgradingTo(proceed.upgrade().to().toString());
    Optional<Duration> ending = finish(node, cluster, status, seen, proceed.upgrade().to().toString());
    if (ending.isPresent()) {
      return ending.get();
    }
    rules.upgraded(node, status, proceed.upgrade());
    return next;
  }

  /**
   * An upgrade to {@code to} whose version is recorded but whose Node was not yet seen Ready at it:
   * empty once it is (and its cordon is released), else when to look again, the node still
   * {@code Upgrading} and out of service.
   */
  private Optional<Duration> finish(HostNode node, Cluster cluster, NodeStatus status, WorkloadNode.Seen seen,
      String to) {
    long generation = NodeRules.generation(node);
    if (!seen.ready() || !to.equals(seen.kubeletVersion())) {
      rules.stillUpgrading(status, "upgraded the host to " + to + "; waiting for Node " + seen.nodeName()
          + " to be Ready at " + to + " (kubelet " + seen.kubeletVersion() + ")", generation);
      return Optional.of(NodeRules.WAIT_RETRY);
    }
    try {
      workload.client(cluster).ifPresent(a -> UpgradeCordon.release(a, seen.nodeName()));
    } catch (KubernetesClientException e) {
      rules.stillUpgrading(status, "Node " + seen.nodeName() + " is Ready at " + to
          + "; the workload API did not answer the uncordon: " + e.getMessage(), generation);
      return Optional.of(NodeRules.WAIT_RETRY);
    }
    return Optional.empty();
  }

  private void upgrading(HostNode node, NodeStatus status, UpgradePlanner.Proceed proceed, String reason,
      String message, boolean needsPerson) {
    rules.upgrading(node, status, proceed.upgrade(), reason, message, needsPerson);
  }
}
