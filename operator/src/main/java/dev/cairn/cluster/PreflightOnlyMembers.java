package dev.cairn.cluster;

import static dev.cairn.status.Conditions.FALSE;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Cluster whose members only check their hosts (annotation {@value Annotations#PREFLIGHT_ONLY}
 * on them or on the Cluster) says so: its Ready, when it is not Ready and nothing needs a person,
 * names them first, and Reconciling is False when every member is only checking, since nothing
 * goes on until the annotation is removed.
 */
final class PreflightOnlyMembers {
  private PreflightOnlyMembers() {}

  static void note(Cluster cluster, ClusterStatus status, Stream<? extends HostNode> members, Conditions conditions,
      long generation) {
    List<HostNode> all = members.filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .map(HostNode.class::cast)
        .sorted(Comparator.comparing((HostNode n) -> n.role() == HostNode.Role.CONTROL_PLANE ? 0 : 1)
            .thenComparing(n -> n.getMetadata().getName()))
        .toList();
    List<String> checking = all.stream().filter(n -> Annotations.preflightOnly(n, Optional.of(cluster)))
        .map(n -> n.getMetadata().getName()).toList();
    List<Condition> list = status.getConditions();
    if (checking.isEmpty() || Conditions.isTrue(list, ConditionType.READY)
        || Conditions.isTrue(list, ConditionType.STALLED)) {
      return;
    }
    Condition ready = Conditions.find(list, ConditionType.READY).orElseThrow();
    String message = "preflight only: " + String.join(", ", checking) + " check their hosts and change nothing; remove"
        + " the annotation " + Annotations.PREFLIGHT_ONLY + " to proceed"
        + (ready.getMessage() == null || ready.getMessage().isEmpty() ? "" : " (" + ready.getMessage() + ")");
    conditions.set(list, ConditionType.READY, FALSE, Reason.PREFLIGHT_ONLY, message, generation);
    if (checking.size() == all.size()) {
      conditions.set(list, ConditionType.RECONCILING, FALSE, Reason.PREFLIGHT_ONLY, message, generation);
    }
  }
}
