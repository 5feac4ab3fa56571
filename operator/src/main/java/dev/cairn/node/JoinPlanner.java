package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.bootstrap.Membership;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from the management cluster alone, what a node does about membership now: the oldest
 * control plane initialises the cluster, once; further control planes join one at a time, oldest
 * first, and only behind a controlPlaneEndpoint; workers join once a control plane's Node is Ready,
 * that is once the pod network runs on it: the seed's order (init, pod network, join), which also
 * keeps a joining worker's load off a control plane still starting its add-ons.
 */
final class JoinPlanner {
  sealed interface Decision permits Proceed, Wait {}

  record Proceed(Membership.Kind kind) implements Decision {}

  /** Nothing to do yet; {@code needsPerson} when it will not resolve by itself. */
  record Wait(String reason, String message, boolean needsPerson) implements Decision {}

  private JoinPlanner() {}

  static Decision decide(HostNode node, Cluster cluster, Collection<ControlPlaneNode> controlPlanes) {
    boolean initialized = initialized(cluster, controlPlanes);
    if (node.role() == HostNode.Role.WORKER) {
      if (joined(node)) {
        return new Proceed(Membership.Kind.JOIN_WORKER);
      }
      if (!initialized) {
        return new Wait(Reason.WAITING_FOR_CONTROL_PLANE, "the cluster has no initialised control plane yet", false);
      }
      if (controlPlanes.stream().noneMatch(JoinPlanner::nodeReady)) {
        return new Wait(Reason.WAITING_FOR_CONTROL_PLANE, "workers join once a control plane's Node is Ready, with the"
            + " pod network running on it (kubeadm's order: init, pod network, join)" + notReadyYet(controlPlanes), false);
      }
      return new Proceed(Membership.Kind.JOIN_WORKER);
    }
    List<ControlPlaneNode> ordered = controlPlanes.stream()
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .sorted(OLDEST_FIRST).toList();
    if (!initialized) {
      Optional<ControlPlaneNode> seed = ordered.stream().findFirst();
      if (seed.isEmpty() || same(seed.get(), node)) {
        return new Proceed(Membership.Kind.INIT);
      }
      return new Wait(Reason.WAITING_FOR_CONTROL_PLANE,
          "waiting for " + seed.get().getMetadata().getName() + " to initialise the cluster", false);
    }
    if (joined(node)) {
      return new Proceed(Membership.Kind.JOIN_CONTROL_PLANE);
    }
    String endpoint = cluster.getSpec().getControlPlaneEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      return new Wait(Reason.CONTROL_PLANE_ENDPOINT_REQUIRED,
          "a second control plane needs spec.controlPlaneEndpoint on Cluster " + cluster.getMetadata().getName()
              + " (a VIP or load balancer in front of all control planes)", true);
    }
    for (ControlPlaneNode older : ordered) {
      if (same(older, node)) {
        break;
      }
      if (!joined(older)) {
        return new Wait(Reason.WAITING_FOR_CONTROL_PLANE,
            "control planes join one at a time, oldest first; waiting for " + older.getMetadata().getName(), false);
      }
    }
    return new Proceed(Membership.Kind.JOIN_CONTROL_PLANE);
  }

  /** The Cluster says so, or (its status lagging) a control plane reports it ran kubeadm init. */
  static boolean initialized(Cluster cluster, Collection<ControlPlaneNode> controlPlanes) {
    return cluster.getStatus() != null
        && Conditions.isTrue(cluster.getStatus().getConditions(), ConditionType.CONTROL_PLANE_INITIALIZED)
        || controlPlanes.stream().anyMatch(n -> n.getStatus() != null
            && Conditions.find(n.getStatus().getConditions(), ConditionType.KUBEADM_INITIALIZED)
                .filter(c -> Conditions.TRUE.equals(c.getStatus()) && Reason.INITIALIZED.equals(c.getReason()))
                .isPresent());
  }

  private static boolean nodeReady(ControlPlaneNode n) {
    return n.getMetadata().getDeletionTimestamp() == null && n.getStatus() != null
        && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.NODE_READY);
  }

  /** What the oldest control plane says of its Node, if it says anything. */
  private static String notReadyYet(Collection<ControlPlaneNode> controlPlanes) {
    return controlPlanes.stream().sorted(OLDEST_FIRST).findFirst()
        .flatMap(n -> Optional.ofNullable(n.getStatus())
            .flatMap(s -> Conditions.find(s.getConditions(), ConditionType.NODE_READY))
            .map(c -> "; " + n.getMetadata().getName() + ": " + c.getReason()
                + (c.getMessage() == null || c.getMessage().isBlank() ? "" : " (" + c.getMessage() + ")")))
        .orElse("");
  }

  static boolean joined(HostNode node) {
    return node.getStatus() != null && Conditions.isTrue(node.getStatus().getConditions(), ConditionType.JOINED);
  }

  /** Oldest first, by creation time then name: the order joins and upgrades both go in. */
  static final Comparator<HostNode> OLDEST_FIRST =
      Comparator.comparing((HostNode n) -> n.getMetadata().getCreationTimestamp() == null
          ? "" : n.getMetadata().getCreationTimestamp())
          .thenComparing(n -> n.getMetadata().getName());

  /** The same node object: kind and name (a control plane and a worker may share a name). */
  static boolean same(HostNode a, HostNode b) {
    return a.getKind().equals(b.getKind()) && a.getMetadata().getName().equals(b.getMetadata().getName());
  }
}
