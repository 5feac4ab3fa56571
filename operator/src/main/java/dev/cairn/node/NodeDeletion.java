package dev.cairn.node;

import dev.cairn.common.GoDuration;
import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeSpec;
import dev.cairn.bootstrap.HostReset;
import dev.cairn.bootstrap.StepId;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.ssh.Redactor;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What deleting a member takes, one look at a time: drain its Node, reset its host over SSH,
 * delete its Node from the workload cluster. Which of those is done is read from the node's
 * {@code Deleting} reason (each is safe to repeat, so a stale status costs a repeat, never a
 * skip). Nothing waits forever: the drain gets {@code spec.drainTimeout} from the deletion, the
 * host and the workload API as long again; past that, deletion goes on and says what it could not do.
 */
final class NodeDeletion {
  /** Between looks while pods are leaving. */
  static final Duration DRAIN_RETRY = Duration.ofSeconds(5);

  sealed interface Result permits Wait, Done {}

  /** Not finished: the stage (Deleting's reason), what it waits for, and when to look again. */
  record Wait(String stage, String message, Duration retry) implements Result {}

  /** Finished; {@code warning} when something could not be undone (said in the message). */
  record Done(String reason, String message, boolean warning) implements Result {}

  private final HostWork hostWork;
  private final WorkloadAccess workload;
  private final Clock clock;

  NodeDeletion(HostWork hostWork, WorkloadAccess workload, Clock clock) {
    this.hostWork = hostWork;
    this.workload = workload;
    this.clock = clock;
  }

  /**
   * Cairn placed CAs or ran kubeadm on the host (a failed init counts: it leaves files behind),
   * so deleting the node must reset the host even though it never joined.
   */
  static boolean kubeadmTouched(HostNode node) {
    return node.getStatus() != null && node.getStatus().getSteps() != null
        && node.getStatus().getSteps().stream().anyMatch(s -> StepId.named(s.name()).map(StepId::membership).orElse(false)
            && s.attempts() != null && s.attempts() > 0);
  }

  /**
   * @param members the nodes of the node's cluster, itself included
   * @param secret the node's SSH key Secret, read only when the host is reset
   */
  Result next(HostNode node, Optional<Cluster> cluster, Supplier<List<HostNode>> members, Supplier<Secret> secret) {
    List<Condition> before = node.getStatus() == null ? List.of() : node.getStatus().getConditions();
    boolean joined = Conditions.isTrue(before, ConditionType.JOINED);
    if (!joined && !kubeadmTouched(node)) {
      return new Done(Reason.DELETION_COMPLETED, "the host never joined the cluster: nothing to undo there "
          + "(its host preparation stays)", false);
    }
    boolean lastControlPlane = false;
    if (node.role() == HostNode.Role.CONTROL_PLANE) {
      List<HostNode> all = members.get();
      lastControlPlane = all.stream().noneMatch(n -> n.role() == HostNode.Role.CONTROL_PLANE
          && !n.getMetadata().getName().equals(node.getMetadata().getName()));
      List<String> workers = all.stream().filter(n -> n.role() == HostNode.Role.WORKER)
          .map(n -> n.getMetadata().getName()).sorted().toList();
      if (lastControlPlane && !workers.isEmpty()) {
        return new Wait(Reason.WAITING_FOR_WORKERS_DELETION, "the last control plane goes after the cluster's workers; "
            + "still there: " + String.join(", ", workers), NodeRules.WAIT_RETRY);
      }
    }
    Instant now = clock.instant();
    Instant deleted = Instant.parse(node.getMetadata().getDeletionTimestamp());
    Duration drainTimeout = drainTimeout(node);
    Instant drainDeadline = deleted.plus(drainTimeout);
    Instant hostDeadline = deleted.plus(hostTimeout(node));
    String stage = Conditions.find(before, ConditionType.DELETING).map(Condition::getReason)
        .filter(r -> r.equals(Reason.RESETTING_HOST) || r.equals(Reason.DELETING_NODE)).orElse(Reason.DRAINING_NODE);
    String nodeName = nodeName(node);
    List<String> notes = new ArrayList<>();
    boolean hostReset = true;

    if (stage.equals(Reason.DRAINING_NODE)) {
      String waiting = null;
      // a host that never joined runs no pods of the cluster: nothing to drain, and no API to wait for
      if (nodeName != null && joined) {
        Optional<KubernetesClient> api = cluster.flatMap(workload::client);
        if (api.isEmpty()) {
          waiting = "the Cluster's admin kubeconfig is not available to drain Node " + nodeName;
        } else {
          try {
            NodeDrain.Progress p = NodeDrain.step(api.get(), nodeName);
            waiting = p.done() ? null : p.message();
          } catch (KubernetesClientException e) {
            waiting = "the workload API did not answer while draining Node " + nodeName + ": " + e.getMessage();
          }
        }
      }
      if (waiting != null) {
        if (now.isBefore(drainDeadline)) {
          return new Wait(Reason.DRAINING_NODE, waiting + "; going on without a full drain at " + drainDeadline
              + " (spec.drainTimeout " + node.getSpec().getDrainTimeout() + ")", until(now, drainDeadline, DRAIN_RETRY));
        }
        notes.add("the drain timed out after " + drainTimeout.toSeconds() + "s (" + waiting + ")");
      }
      stage = Reason.RESETTING_HOST;
    }

    if (stage.equals(Reason.RESETTING_HOST)) {
      HostWork.ScriptOutcome reset = hostWork.runScript(node, secret.get(), HostReset.SCRIPT, HostReset.TIMEOUT,
          new Redactor());
      if (!reset.ok()) {
        String why = reset.result() == null
            ? reset.refusedReason() + ": " + reset.refusedMessage()
            : "the reset script exited " + reset.result().exitCode() + ": " + reset.result().tail(400);
        if (now.isBefore(hostDeadline)) {
          return new Wait(Reason.RESETTING_HOST, prefix(notes) + "could not reset the host yet (" + why
              + "); giving up on it at " + hostDeadline, until(now, hostDeadline, NodeRules.HOST_RETRY));
        }
        hostReset = false;
        notes.add("the host was NOT reset (" + why + "); run 'kubeadm reset -f' on it before using it again");
      }
      stage = Reason.DELETING_NODE;
    }

    if (nodeName != null) {
      Optional<KubernetesClient> api = cluster.flatMap(workload::client);
      String failed = null;
      if (api.isEmpty()) {
        failed = "the Cluster's admin kubeconfig is not available";
      } else {
        try {
          api.get().nodes().withName(nodeName).delete();
        } catch (KubernetesClientException e) {
          failed = "the workload API did not answer: " + e.getMessage();
        }
      }
      if (failed != null && !joined) {
        // never a member: a Node its failed kubeadm may have registered is unreachable now, and nothing waits on it
        return new Done(hostReset ? Reason.DELETION_COMPLETED : Reason.HOST_NOT_RESET, prefix(notes)
            + (hostReset ? "host reset; " : "") + "it never joined the cluster, so there was nothing to drain",
            !notes.isEmpty());
      }
      if (failed != null && lastControlPlane && hostReset) {
        // the reset stopped the cluster's only API server and wiped its etcd: the Node went with them
        return new Done(Reason.DELETION_COMPLETED, prefix(notes) + "drained, host reset; the cluster's last control "
            + "plane, so its API and Node " + nodeName + " went with it", !notes.isEmpty());
      }
      if (failed != null) {
        if (now.isBefore(hostDeadline)) {
          return new Wait(Reason.DELETING_NODE, prefix(notes) + "could not delete Node " + nodeName + " yet (" + failed
              + "); giving up on it at " + hostDeadline, until(now, hostDeadline, NodeRules.WAIT_RETRY));
        }
        notes.add("Node " + nodeName + " was NOT deleted from the workload cluster (" + failed + ")");
      }
    }
    return new Done(hostReset ? Reason.DELETION_COMPLETED : Reason.HOST_NOT_RESET,
        notes.isEmpty() ? "drained, host reset, Node " + nodeName + " deleted" : String.join("; ", notes),
        !notes.isEmpty());
  }

  private static String prefix(List<String> notes) {
    return notes.isEmpty() ? "" : String.join("; ", notes) + "; ";
  }

  /** The usual retry, or sooner when a deadline comes first (a second after it, to be past it). */
  private static Duration until(Instant now, Instant deadline, Duration retry) {
    Duration left = Duration.between(now, deadline).plusSeconds(1);
    return left.compareTo(retry) < 0 ? left : retry;
  }

  /** The Node's name in the workload cluster: as last seen, else the host's hostname. */
  static String nodeName(HostNode node) {
    var status = node.getStatus();
    if (status == null) {
      return null;
    }
    if (status.getNodeName() != null && !status.getNodeName().isBlank()) {
      return status.getNodeName();
    }
    return status.getHostIdentity() == null || status.getHostIdentity().hostname() == null ? null
        : status.getHostIdentity().hostname().toLowerCase(Locale.ROOT);
  }

  static Duration drainTimeout(HostNode node) {
    String value = node.getSpec().getDrainTimeout();
    return GoDuration.parse(value == null || value.isBlank() ? NodeSpec.DEFAULT_DRAIN_TIMEOUT : value);
  }

  /**
   * How long an unreachable host or workload API may hold a deletion: as long again as the drain
   * timeout (10 minutes with the default 5), counted from the deletion as well.
   */
  static Duration hostTimeout(HostNode node) {
    return drainTimeout(node).multipliedBy(2);
  }


}
