package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.ssh.SshFailure;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import dev.cairn.testing.NodeObjects;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How long a host that does not answer is left alone: the gaps double, up to the resync. */
class UnreachableRetryTest {
  private static final Instant LOST = Instant.parse("2026-11-26T10:00:00Z");
  private static final Duration RESYNC = Duration.ofMinutes(10);

  @Test
  void aHostJustLostIsTriedAgainSoon() {
    assertThat(NodeRules.unreachableRetry(LOST, LOST, RESYNC)).isEqualTo(Duration.ofSeconds(30));
    assertThat(NodeRules.unreachableRetry(LOST, LOST.plusSeconds(20), RESYNC)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theGapsDoubleWhileItStaysAway() {
    Instant now = LOST;
    StringBuilder tries = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      now = now.plus(NodeRules.unreachableRetry(LOST, now, RESYNC));
      tries.append(Duration.between(LOST, now).toSeconds()).append(' ');
    }
    assertThat(tries.toString().trim()).isEqualTo("30 60 120 240 480 960 1560");
  }

  /** Reconciling tells the wait and the gate's retry time, as a failed step does, not a plan that runs. */
  @Test
  void anUnansweredHostSaysItWaitsUntilTheGatesRetry() {
    Instant now = LOST.plusSeconds(90);
    NodeRules rules = new NodeRules(new Conditions(Clock.fixed(now, ZoneOffset.UTC)), RESYNC,
        ConditionType.WORKER_NODE, Clock.fixed(now, ZoneOffset.UTC));
    WorkerNode node = NodeObjects.node(new WorkerNode(), "ns", "w1", "demo", "192.168.56.31", null, "ssh");
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").withGeneration(1L).build());
    cluster.setSpec(new ClusterSpec());
    NodeStatus status = rules.observed(node, Optional.of(cluster));
    HostWork.Outcome away = new HostWork.Outcome(null, List.of(), null, SshFailure.UNREACHABLE.reason(),
        "connecting to 192.168.56.31:22 timed out", false, false);

    Duration retry = rules.unanswered(node, status, away, NodeRules.unreachableRetry(LOST, now, RESYNC));
    assertThat(retry).isEqualTo(Duration.ofSeconds(90));
    Condition reconciling = Conditions.find(status.getConditions(), ConditionType.RECONCILING).orElseThrow();
    assertThat(reconciling.getStatus()).isEqualTo("True");
    assertThat(reconciling.getReason()).isEqualTo(Reason.WAITING_TO_RETRY);
    assertThat(reconciling.getMessage())
        .isEqualTo("connecting to 192.168.56.31:22 timed out; next attempt at 2026-11-26T10:03:00Z");
    assertThat(Conditions.find(status.getConditions(), ConditionType.HOST_REACHABLE).orElseThrow().getReason())
        .isEqualTo("HostUnreachable");
    assertThat(Conditions.find(status.getConditions(), ConditionType.STALLED).orElseThrow().getStatus())
        .isEqualTo("False");
    assertThat(NodeRules.soon(status, retry)).as("no sooner look shortens what it states").isEqualTo(retry);
  }

  @Test
  void neverLongerThanTheResync() {
    assertThat(NodeRules.unreachableRetry(LOST, LOST.plus(Duration.ofHours(3)), RESYNC)).isEqualTo(RESYNC);
    assertThat(NodeRules.unreachableRetry(LOST, LOST.plusSeconds(90), Duration.ofSeconds(45)))
        .isEqualTo(Duration.ofSeconds(45));
  }
}
