package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.testing.NodeObjects;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A member that needs a person stalls its Cluster, and the Cluster names it. */
class StalledMemberTest {
  @Test
  void noStalledMemberNoStall() {
    assertThat(ClusterReconciler.stalledMember(Set.of(node(new ControlPlaneNode(), "cp1", null)),
        Set.of(node(new WorkerNode(), "w1", null)))).isEmpty();
  }

  @Test
  void theClusterNamesTheStalledMemberControlPlanesFirstAndCountsTheOthers() {
    var stall = ClusterReconciler.stalledMember(
        Set.of(node(new ControlPlaneNode(), "cp1", "AuthenticationFailed"), node(new ControlPlaneNode(), "cp2", null)),
        Set.of(node(new WorkerNode(), "a-w1", "HostKeyMismatch"), node(new WorkerNode(), "w2", "SecretNotFound")));

    assertThat(stall).isPresent();
    assertThat(stall.get().reason()).isEqualTo("AuthenticationFailed");
    assertThat(stall.get().message())
        .isEqualTo("cp1: AuthenticationFailed: says AuthenticationFailed (and 2 more stalled: a-w1, w2)");
  }

  @Test
  void aMemberBeingDeletedDoesNotStallTheCluster() {
    WorkerNode going = node(new WorkerNode(), "w1", "AuthenticationFailed");
    going.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");
    assertThat(ClusterReconciler.stalledMember(Set.of(), Set.of(going))).isEmpty();
  }

  private static <N extends HostNode> N node(N node, String name, String stalledReason) {
    NodeObjects.node(node, "ns", name, "demo", "192.168.56.30", null, "ssh");
    NodeStatus status = new NodeStatus();
    // as NodeRules writes them: Stalled says NeedsAttention, Ready the reason itself
    status.getConditions().add(new ConditionBuilder().withType("Stalled")
        .withStatus(stalledReason == null ? "False" : "True")
        .withReason(stalledReason == null ? "NotStalled" : "NeedsAttention")
        .withMessage(stalledReason == null ? "" : "says " + stalledReason).build());
    status.getConditions().add(new ConditionBuilder().withType("Ready")
        .withStatus(stalledReason == null ? "True" : "False")
        .withReason(stalledReason == null ? "Available" : stalledReason)
        .withMessage(stalledReason == null ? "" : "says " + stalledReason).build());
    node.setStatus(status);
    return node;
  }
}
