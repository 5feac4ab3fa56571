package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeSpec;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.bootstrap.Membership;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who initialises, who joins when, and who waits: decided from the management cluster alone. */
class JoinPlannerTest {
  private static final Conditions CONDITIONS = new Conditions(Clock.systemUTC());

  static Cluster cluster(String endpoint, boolean initialized) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.34.4");
    spec.setControlPlaneEndpoint(endpoint);
    c.setSpec(spec);
    ClusterStatus status = new ClusterStatus();
    if (initialized) {
      CONDITIONS.set(status.getConditions(), ConditionType.CONTROL_PLANE_INITIALIZED, "True", Reason.INITIALIZED, "", 1);
    }
    c.setStatus(status);
    return c;
  }

  static <N extends HostNode> N node(N n, String name, String created, String... trueConditions) {
    n.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withCreationTimestamp(created).build());
    NodeSpec spec = new NodeSpec();
    spec.setClusterName("demo");
    n.setSpec(spec);
    NodeStatus status = new NodeStatus();
    for (String type : trueConditions) {
      CONDITIONS.set(status.getConditions(), type, "True",
          type.equals(ConditionType.KUBEADM_INITIALIZED) ? Reason.INITIALIZED : Reason.JOINED, "", 1);
    }
    n.setStatus(status);
    return n;
  }

  static ControlPlaneNode cp(String name, String created, String... trueConditions) {
    return node(new ControlPlaneNode(), name, created, trueConditions);
  }

  @Test
  void theOldestControlPlaneInitialisesAndTheOthersWaitForIt() {
    ControlPlaneNode cp1 = cp("cp-b", "2026-11-26T01:00:00Z");
    ControlPlaneNode cp2 = cp("cp-a", "2026-11-26T01:00:05Z");
    Cluster c = cluster("lb:6443", false);
    assertThat(JoinPlanner.decide(cp1, c, List.of(cp1, cp2))).isEqualTo(new JoinPlanner.Proceed(Membership.Kind.INIT));
    assertThat(JoinPlanner.decide(cp2, c, List.of(cp1, cp2))).isInstanceOfSatisfying(JoinPlanner.Wait.class, w -> {
      assertThat(w.reason()).isEqualTo("WaitingForControlPlane");
      assertThat(w.message()).contains("cp-b");
      assertThat(w.needsPerson()).isFalse();
    });
  }

  @Test
  void aWorkerWaitsForTheClusterThenForAReadyControlPlaneNodeThenJoins() {
    WorkerNode w = node(new WorkerNode(), "w1", "2026-11-26T00:00:00Z");
    ControlPlaneNode initialised = cp("cp1", "2026-11-26T01:00:00Z", ConditionType.KUBEADM_INITIALIZED,
        ConditionType.JOINED);
    CONDITIONS.set(initialised.getStatus().getConditions(), ConditionType.NODE_READY, "False", "KubeletNotReady",
        "container runtime network not ready: cni plugin not initialized", 1);
    assertThat(JoinPlanner.decide(w, cluster("", false), List.of())).isInstanceOfSatisfying(JoinPlanner.Wait.class,
        wait -> assertThat(wait.message()).contains("no initialised control plane"));
    // initialised, but no pod network on the control plane yet: kubeadm's order is init, network, join
    assertThat(JoinPlanner.decide(w, cluster("", true), List.of(initialised)))
        .isInstanceOfSatisfying(JoinPlanner.Wait.class, wait -> {
          assertThat(wait.reason()).isEqualTo("WaitingForControlPlane");
          assertThat(wait.message()).contains("Node is Ready", "cp1: KubeletNotReady", "cni plugin not initialized");
          assertThat(wait.needsPerson()).isFalse();
        });
    ControlPlaneNode ready = cp("cp1", "2026-11-26T01:00:00Z", ConditionType.KUBEADM_INITIALIZED,
        ConditionType.JOINED, ConditionType.NODE_READY);
    assertThat(JoinPlanner.decide(w, cluster("", true), List.of(ready)))
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_WORKER));
    // a deleting control plane's Ready Node does not count
    ready.getMetadata().setDeletionTimestamp("2026-11-26T02:00:00Z");
    assertThat(JoinPlanner.decide(w, cluster("", true), List.of(ready))).isInstanceOf(JoinPlanner.Wait.class);
  }

  @Test
  void aWorkerThatHasJoinedGoesOnWhateverTheControlPlanesSay() {
    WorkerNode w = node(new WorkerNode(), "w1", "2026-11-26T00:00:00Z", ConditionType.JOINED);
    ControlPlaneNode notReady = cp("cp1", "2026-11-26T01:00:00Z", ConditionType.KUBEADM_INITIALIZED,
        ConditionType.JOINED);
    assertThat(JoinPlanner.decide(w, cluster("", true), List.of(notReady)))
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_WORKER));
  }

  @Test
  void aControlPlaneReportingInitIsEnoughEvenBeforeTheClusterSaysSo() {
    ControlPlaneNode seed = cp("cp1", "2026-11-26T01:00:00Z", ConditionType.KUBEADM_INITIALIZED, ConditionType.JOINED,
        ConditionType.NODE_READY);
    WorkerNode w = node(new WorkerNode(), "w1", "2026-11-26T00:00:00Z");
    assertThat(JoinPlanner.decide(w, cluster("", false), List.of(seed)))
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_WORKER));
    assertThat(JoinPlanner.decide(seed, cluster("", false), List.of(seed)))
        .as("a rebuilt first control plane joins; it never initialises a second cluster")
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_CONTROL_PLANE));
  }

  @Test
  void aSecondControlPlaneNeedsAnEndpoint() {
    ControlPlaneNode seed = cp("cp1", "2026-11-26T01:00:00Z", ConditionType.KUBEADM_INITIALIZED, ConditionType.JOINED);
    ControlPlaneNode second = cp("cp2", "2026-11-26T01:00:01Z");
    assertThat(JoinPlanner.decide(second, cluster("", true), List.of(seed, second)))
        .isInstanceOfSatisfying(JoinPlanner.Wait.class, w -> {
          assertThat(w.reason()).isEqualTo("ControlPlaneEndpointRequired");
          assertThat(w.needsPerson()).isTrue();
        });
    assertThat(JoinPlanner.decide(second, cluster("lb.example:6443", true), List.of(seed, second)))
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_CONTROL_PLANE));
  }

  @Test
  void controlPlanesJoinOneAtATimeOldestFirst() {
    ControlPlaneNode seed = cp("cp1", "2026-11-26T01:00:00Z", ConditionType.KUBEADM_INITIALIZED, ConditionType.JOINED);
    ControlPlaneNode second = cp("cp2", "2026-11-26T01:00:01Z");
    ControlPlaneNode third = cp("cp3", "2026-11-26T01:00:02Z");
    List<ControlPlaneNode> all = List.of(third, seed, second);
    Cluster c = cluster("lb.example:6443", true);
    assertThat(JoinPlanner.decide(second, c, all)).isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_CONTROL_PLANE));
    assertThat(JoinPlanner.decide(third, c, all)).isInstanceOfSatisfying(JoinPlanner.Wait.class,
        w -> assertThat(w.message()).contains("one at a time", "cp2"));
    ControlPlaneNode secondJoined = cp("cp2", "2026-11-26T01:00:01Z", ConditionType.KUBEADM_INITIALIZED, ConditionType.JOINED);
    assertThat(JoinPlanner.decide(third, c, List.of(third, seed, secondJoined)))
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.JOIN_CONTROL_PLANE));
  }

  @Test
  void aDeletingSeedHandsInitialisationToTheNextOldest() {
    ControlPlaneNode seed = cp("cp1", "2026-11-26T01:00:00Z");
    seed.getMetadata().setDeletionTimestamp("2026-11-26T02:00:00Z");
    ControlPlaneNode next = cp("cp2", "2026-11-26T01:00:01Z");
    assertThat(JoinPlanner.decide(next, cluster("", false), List.of(seed, next)))
        .isEqualTo(new JoinPlanner.Proceed(Membership.Kind.INIT));
  }
}
