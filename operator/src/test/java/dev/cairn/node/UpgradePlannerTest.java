package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout's order, decided from the nodes' status alone: what each node does when the Cluster moves. */
class UpgradePlannerTest {
  private static final Conditions CONDITIONS = new Conditions(Clock.systemUTC());
  private static final String FROM = "v1.34.4";
  private static final String TO = "v1.35.1";

  private final Cluster cluster = cluster(TO);
  private final ControlPlaneNode cp1 = member(new ControlPlaneNode(), "cp1", "2026-01-01T00:00:00Z", FROM);
  private final ControlPlaneNode cp2 = member(new ControlPlaneNode(), "cp2", "2026-01-02T00:00:00Z", FROM);
  private final WorkerNode w1 = member(new WorkerNode(), "w1", "2026-01-01T00:00:00Z", FROM);
  private final WorkerNode w2 = member(new WorkerNode(), "w2", "2026-01-02T00:00:00Z", FROM);
  private final WorkerNode w3 = member(new WorkerNode(), "w3", "2026-01-03T00:00:00Z", FROM);
  private final List<HostNode> all = List.of(w3, cp2, w1, cp1, w2);

  @Test
  void theOldestControlPlaneGoesFirstWithApplyAndEveryoneElseWaits() {
    assertThat(decide(cp1, 1)).isEqualTo(proceed(true, true));
    assertThat(decide(cp2, 1)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w -> {
      assertThat(w.reason()).isEqualTo(Reason.UPGRADE_PENDING);
      assertThat(w.message()).contains("one at a time, oldest first; waiting for cp1");
    });
    assertThat(decide(w1, 3)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w ->
        assertThat(w.message()).contains("once every control plane runs v1.35.1 (0/2); waiting for cp1, cp2"));
  }

  @Test
  void theNextControlPlaneRunsUpgradeNodeOnceTheFirstIsDone() {
    at(cp1, TO);
    assertThat(decide(cp2, 1)).isEqualTo(proceed(false, true));
    assertThat(decide(cp1, 1)).isInstanceOf(UpgradePlanner.Current.class);
    assertThat(decide(w1, 1)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w ->
        assertThat(w.message()).contains("(1/2); waiting for cp2"));
  }

  @Test
  void workersGoMaxUnavailableAtATimeOldestFirst() {
    at(cp1, TO);
    at(cp2, TO);
    assertThat(decide(w1, 1)).isEqualTo(proceed(false, true));
    assertThat(decide(w2, 1)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w ->
        assertThat(w.message()).contains("at most 1 worker(s) upgrade at a time", "waiting for w1"));
    assertThat(decide(w2, 2)).isEqualTo(proceed(false, true));
    assertThat(decide(w3, 2)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w ->
        assertThat(w.message()).contains("waiting for w1, w2"));
    at(w1, TO);
    assertThat(decide(w3, 2)).isEqualTo(proceed(false, true));
  }

  @Test
  void aMemberThatIsNotReadyHoldsTheRolloutButNotTheNodeAlreadyUnderWay() {
    notReady(w3);
    assertThat(decide(cp1, 1)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w -> {
      assertThat(w.reason()).isEqualTo(Reason.UPGRADE_BLOCKED);
      assertThat(w.message()).contains("not Ready: w3");
      assertThat(w.needsPerson()).isFalse();
    });
    // cp1 began (its status says so) and is not Ready while its kubelet restarts: it finishes
    underWay(cp1);
    notReady(cp1);
    assertThat(decide(cp1, 1)).isEqualTo(proceed(true, true));
    assertThat(decide(cp2, 1)).isInstanceOf(UpgradePlanner.Wait.class);
  }

  @Test
  void aNodeUnderWayFinishesTheVersionItBeganWithWhenTheSpecMovesOn() {
    underWay(cp1);
    cp1.getStatus().setUpgradingTo(TO);
    cluster.getSpec().setKubernetesVersion("v1.35.2");
    assertThat(decide(cp1, 1)).isEqualTo(proceed(true, true));
    // done with v1.35.1: it is behind again, and goes first again, to v1.35.2
    at(cp1, TO);
    cp1.getStatus().setUpgradingTo(null);
    CONDITIONS.set(cp1.getStatus().getConditions(), ConditionType.UP_TO_DATE, "True", Reason.UP_TO_DATE, "", 1);
    assertThat(decide(cp1, 1)).isInstanceOfSatisfying(UpgradePlanner.Proceed.class, p -> {
      assertThat(p.upgrade().from()).isEqualTo(KubernetesVersion.parse(TO));
      assertThat(p.upgrade().to()).isEqualTo(KubernetesVersion.parse("v1.35.2"));
      assertThat(p.upgrade().apply()).isTrue();
    });
  }

  @Test
  void aMemberMoreThanOneMinorBehindNeedsAPerson() {
    cluster.getSpec().setKubernetesVersion("v1.36.0");
    at(cp2, "v1.35.1");
    assertThat(decide(cp2, 1)).isInstanceOfSatisfying(UpgradePlanner.Wait.class, w -> {
      assertThat(w.needsPerson()).isTrue();
      assertThat(w.message()).contains("runs v1.34.4, more than one minor behind v1.36.0");
    });
  }

  @Test
  void aSingleNodeIsNotDrainedAndNodesBeingDeletedDoNotCount() {
    assertThat(UpgradePlanner.decide(cp1, cluster, List.of(cp1), 1)).isEqualTo(proceed(true, false));
    cp1.getMetadata().setDeletionTimestamp("2026-02-01T00:00:00Z");
    assertThat(decide(cp2, 1)).isEqualTo(proceed(true, true));
  }

  @Test
  void aNodeNotYetAMemberJoinsAtTheVersionEveryMemberRuns() {
    WorkerNode fresh = new WorkerNode();
    fresh.setMetadata(new ObjectMetaBuilder().withName("w9").build());
    assertThat(UpgradePlanner.decide(fresh, cluster, all, 1)).isInstanceOf(UpgradePlanner.Current.class);
    assertThat(UpgradePlanner.installVersion(fresh, cluster)).isEqualTo(KubernetesVersion.parse(TO));
    cluster.getStatus().setKubernetesVersion(FROM);
    assertThat(UpgradePlanner.installVersion(fresh, cluster)).isEqualTo(KubernetesVersion.parse(FROM));
    assertThat(UpgradePlanner.installVersion(cp1, cluster)).isEqualTo(KubernetesVersion.parse(FROM));
    // a member recorded before Cairn kept the version: its kubelet's
    cp2.getStatus().setKubernetesVersion(null);
    cp2.getStatus().setKubeletVersion("v1.34.3");
    assertThat(UpgradePlanner.running(cp2)).contains(KubernetesVersion.parse("v1.34.3"));
    assertThat(UpgradePlanner.behind(cp2, cluster)).isTrue();
  }

  private UpgradePlanner.Decision decide(HostNode node, int maxUnavailable) {
    return UpgradePlanner.decide(node, cluster, all, maxUnavailable);
  }

  private static UpgradePlanner.Proceed proceed(boolean apply, boolean drain) {
    return new UpgradePlanner.Proceed(new dev.cairn.bootstrap.NodePlan.Upgrade(KubernetesVersion.parse(FROM),
        KubernetesVersion.parse(TO), apply), drain);
  }

  static Cluster cluster(String version) {
    Cluster c = JoinPlannerTest.cluster(null, true);
    c.getSpec().setKubernetesVersion(version);
    return c;
  }

  static <N extends HostNode> N member(N n, String name, String created, String version) {
    JoinPlannerTest.node(n, name, created, ConditionType.JOINED, ConditionType.NODE_READY);
    n.getStatus().setKubernetesVersion(version);
    return n;
  }

  private static void at(HostNode n, String version) {
    n.getStatus().setKubernetesVersion(version);
  }

  private static void notReady(HostNode n) {
    CONDITIONS.set(n.getStatus().getConditions(), ConditionType.NODE_READY, "False", "KubeletNotReady", "", 1);
  }

  private static void underWay(HostNode n) {
    CONDITIONS.set(n.getStatus().getConditions(), ConditionType.UP_TO_DATE, "False", Reason.UPGRADING, "", 1);
  }
}
