package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.MemberCounts;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.testing.NodeObjects;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A converging Cluster says where its members stand and names the one furthest behind. */
class FurthestBehindTest {
  @Test
  void theCountsAndTheMemberFurthestBehind() {
    ControlPlaneNode cp1 = at(new ControlPlaneNode(), "cp1", "HostPrepared", 3, "running step containerd");
    WorkerNode w1 = ready(new WorkerNode(), "w1");
    WorkerNode w2 = at(new WorkerNode(), "w2", "Joined", 9, "waiting for a control plane");

    String message = ClusterReconciler.standing(MemberCounts.of(1, 0), MemberCounts.of(2, 1),
        Optional.of(condition("ControlPlaneAvailable", "False", "ControlPlaneUnavailable", "0 of 1 control planes Ready")),
        Set.of(cp1), Set.of(w1, w2));

    // the blocking ControlPlaneAvailable only repeats the counts, so it is left out
    assertThat(message).isEqualTo(
        "control planes 0/1 Ready, workers 1/2 Ready; furthest behind: cp1 (HostPrepared: running step containerd)");
  }

  @Test
  void whatBlocksReadyIsSaidWhenTheCountsDoNotSayIt() {
    String message = ClusterReconciler.standing(MemberCounts.of(1, 0), MemberCounts.of(0, 0),
        Optional.of(condition("ControlPlaneInitialized", "False", "NotInitialized",
            "no control plane has run kubeadm init yet")),
        Set.of(at(new ControlPlaneNode(), "cp1", "HostReachable", 0, "")), Set.of());

    assertThat(message).isEqualTo("control planes 0/1 Ready, workers 0/0 Ready; ControlPlaneInitialized: no control"
        + " plane has run kubeadm init yet; furthest behind: cp1 (HostReachable: NotYetReported)");
  }

  @Test
  void notJoinedIsBehindJoinedHoweverFarItGotOtherwise() {
    // a joined member that drifted (HostPrepared False again) is still ahead of one waiting to join
    WorkerNode drifted = at(new WorkerNode(), "a-drifted", "NodeReady", 12, "");
    set(drifted, "HostPrepared", "False", "StepFailed", "swap-off: exit 1");
    WorkerNode waiting = at(new WorkerNode(), "z-waiting", "Joined", 9, "waiting for a control plane");

    assertThat(ClusterReconciler.furthestBehind(Set.of(), Set.of(drifted, waiting)))
        .contains("z-waiting (Joined: waiting for a control plane)");
  }

  @Test
  void amongTheNotJoinedTheEarliestConditionThenTheFewestSucceededSteps() {
    WorkerNode runtime = at(new WorkerNode(), "w1", "ContainerRuntimeReady", 5, "running step containerd");
    WorkerNode preflight = at(new WorkerNode(), "w2", "PreflightPassed", 1, "running step preflight");
    WorkerNode fewer = at(new WorkerNode(), "w3", "PreflightPassed", 0, "running step facts");
    assertThat(ClusterReconciler.furthestBehind(Set.of(), Set.of(runtime, preflight, fewer)))
        .contains("w3 (PreflightPassed: running step facts)");
    assertThat(ClusterReconciler.furthestBehind(Set.of(), Set.of(runtime, preflight)))
        .contains("w2 (PreflightPassed: running step preflight)");
  }

  @Test
  void onEqualStandingControlPlanesFirstThenByName() {
    ControlPlaneNode cp = at(new ControlPlaneNode(), "zz-cp", "HostReachable", 0, "");
    WorkerNode w = at(new WorkerNode(), "aa-w", "HostReachable", 0, "");
    WorkerNode w2 = at(new WorkerNode(), "ab-w", "HostReachable", 0, "");
    assertThat(ClusterReconciler.furthestBehind(Set.of(cp), Set.of(w, w2))).get().asString().startsWith("zz-cp ");
    assertThat(ClusterReconciler.furthestBehind(Set.of(), Set.of(w2, w))).get().asString().startsWith("aa-w ");
  }

  @Test
  void aMemberWithoutStatusIsFurthestBehindAndSaysSo() {
    WorkerNode fresh = NodeObjects.node(new WorkerNode(), "ns", "fresh", "demo", "192.168.56.30", null, "ssh");
    assertThat(ClusterReconciler.furthestBehind(Set.of(), Set.of(fresh, at(new WorkerNode(), "w1", "Joined", 9, ""))))
        .contains("fresh (no status yet)");
  }

  @Test
  void readyMembersAndMembersBeingDeletedDoNotCount() {
    WorkerNode going = at(new WorkerNode(), "going", "HostReachable", 0, "");
    going.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");
    assertThat(ClusterReconciler.furthestBehind(Set.of(ready(new ControlPlaneNode(), "cp1")), Set.of(going)))
        .isEmpty();
    assertThat(ClusterReconciler.standing(MemberCounts.of(1, 1), MemberCounts.of(1, 0),
        Optional.of(condition("CNIReady", "False", "Progressing", "calico: 1/2 ready")),
        Set.of(ready(new ControlPlaneNode(), "cp1")), Set.of(going)))
        .isEqualTo("control planes 1/1 Ready, workers 0/1 Ready; CNIReady: calico: 1/2 ready");
  }

  @Test
  void theMessageDoesNotChangeWhileTheStandingDoesNot() {
    ControlPlaneNode cp1 = at(new ControlPlaneNode(), "cp1", "HostPrepared", 3, "running step containerd");
    WorkerNode w1 = at(new WorkerNode(), "w1", "HostPrepared", 3, "running step containerd");
    String first = ClusterReconciler.standing(MemberCounts.of(1, 0), MemberCounts.of(1, 0), Optional.empty(),
        Set.of(cp1), Set.of(w1));
    // the same members, another pass, other timestamps on their conditions
    cp1.getStatus().getConditions().forEach(c -> c.setLastTransitionTime("2026-12-07T11:00:00Z"));
    assertThat(ClusterReconciler.standing(MemberCounts.of(1, 0), MemberCounts.of(1, 0), Optional.empty(),
        Set.of(cp1), Set.of(w1))).isEqualTo(first);
  }

  /**
   * A member whose conditions are True up to {@code type} and not from there on (Unknown, as a
   * new node's are), with {@code succeeded} steps done and Reconciling saying {@code doing}.
   */
  private static <N extends HostNode> N at(N node, String name, String type, int succeeded, String doing) {
    NodeObjects.node(node, "ns", name, "demo", "192.168.56.30", null, "ssh");
    NodeStatus status = new NodeStatus();
    int at = ClusterReconciler.PROGRESS.indexOf(type);
    for (int i = 0; i < ClusterReconciler.PROGRESS.size(); i++) {
      status.getConditions().add(i < at ? condition(ClusterReconciler.PROGRESS.get(i), "True", "Succeeded", "")
          : condition(ClusterReconciler.PROGRESS.get(i), "Unknown", "NotYetReported", ""));
    }
    status.getConditions().add(condition("Ready", "False", doing.isEmpty() ? "NotYetReported" : "RunningPlan", doing));
    status.getConditions().add(condition("Reconciling", doing.isEmpty() ? "Unknown" : "True",
        doing.isEmpty() ? "NotYetReported" : "RunningPlan", doing));
    List<StepStatus> steps = new java.util.ArrayList<>();
    for (int i = 0; i < succeeded; i++) {
      steps.add(new StepStatus("step" + i, StepStatus.State.Succeeded, 1, null, null, null));
    }
    status.setSteps(steps);
    node.setStatus(status);
    return node;
  }

  private static <N extends HostNode> N ready(N node, String name) {
    N n = at(node, name, "Ready", 12, "");
    n.getStatus().getConditions().forEach(c -> c.setStatus("True"));
    return n;
  }

  private static void set(HostNode node, String type, String status, String reason, String message) {
    Condition c = node.getStatus().getConditions().stream().filter(x -> x.getType().equals(type)).findFirst().orElseThrow();
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
  }
}
