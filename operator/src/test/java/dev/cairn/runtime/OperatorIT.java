package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.testing.Conflicts;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.NodeObjects;
import dev.cairn.testing.OperatorUnderTest;
import dev.cairn.testing.Resources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator, run in-process against a real kube-apiserver, gives new objects their full
 * condition set and observedGeneration quickly, and does not write status when nothing changed.
 */
@ExtendWith(ManagementCluster.class)
class OperatorIT {
  private static final Duration RESYNC = Duration.ofSeconds(1);
  private static KubernetesClient client;
  private static String namespace;
  private static Resources on;
  private static OperatorUnderTest cairn;
  private static SimpleMeterRegistry registry;

  @BeforeAll
  static void start(ManagementCluster.Server server) {
    cairn = OperatorUnderTest.start(server, "operator", RESYNC);
    client = cairn.client;
    namespace = cairn.namespace;
    on = cairn.on;
    registry = cairn.registry;
  }

  @AfterAll
  static void stop() {
    cairn.close();
  }

  @Test
  void newClusterAndNodesGetTheirFullConditionSetWithinSeconds() {
    long start = System.nanoTime();
    client.resource(cluster("full")).create();
    client.resource(node(new ControlPlaneNode(), "full-cp1", "full", "192.168.56.30")).create();
    client.resource(node(new WorkerNode(), "full-w1", "full", "192.168.56.31")).create();

    Cluster cluster = on.awaitObserved(Cluster.class, "full");
    ControlPlaneNode cp = on.awaitObserved(ControlPlaneNode.class, "full-cp1");
    WorkerNode w = on.awaitObserved(WorkerNode.class, "full-w1");
    System.out.printf("full condition sets on 3 new objects after %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertHasExactly(cluster.getStatus().getConditions(), ConditionType.CLUSTER, 1);
    assertHasExactly(cp.getStatus().getConditions(), ConditionType.CONTROL_PLANE_NODE, 1);
    assertHasExactly(w.getStatus().getConditions(), ConditionType.WORKER_NODE, 1);
    assertThat(cluster.getStatus().getConditions().get(0).getType()).isEqualTo("Ready");
    // not Ready, and saying why: the first of its parts that is not there yet, or (once the
    // nodes found their SSH Secret missing, which needs a person) the member that stalls it
    assertThat(condition(cluster.getStatus().getConditions(), "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(cluster.getStatus().getConditions(), "Ready").getReason())
        .isIn("NotInitialized", "NotYetReported", "InvalidSecret", "SecretNotFound");
    assertThat(condition(cluster.getStatus().getConditions(), "Paused").getStatus()).isEqualTo("False");
    assertThat(cluster.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(cp.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(w.getStatus().getPhase()).isEqualTo("Pending");

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Cluster c = on.get(Cluster.class, "full");
      assertThat(c.getStatus().getControlPlane().summary()).isEqualTo("0/1");
      assertThat(c.getStatus().getWorkers().summary()).isEqualTo("0/1");
    });
  }

  @Test
  void aReconcileWithNothingNewDoesNotWrite() {
    client.resource(cluster("quiet")).create();
    client.resource(node(new WorkerNode(), "quiet-w1", "quiet", "192.168.56.41")).create();
    on.awaitObserved(Cluster.class, "quiet");
    on.awaitObserved(WorkerNode.class, "quiet-w1");
    await().atMost(Duration.ofSeconds(20)).until(() -> on.get(Cluster.class, "quiet").getStatus().getWorkers() != null
        && on.get(Cluster.class, "quiet").getStatus().getWorkers().desired() == 1);

    String clusterVersion = on.get(Cluster.class, "quiet").getMetadata().getResourceVersion();
    String nodeVersion = on.get(WorkerNode.class, "quiet-w1").getMetadata().getResourceVersion();
    double before = reconciliations();
    // the resync interval is 1 s: wait for several more reconciles of the settled objects
    await().atMost(Duration.ofSeconds(30)).until(() -> reconciliations() >= before + 6);
    assertThat(on.get(Cluster.class, "quiet").getMetadata().getResourceVersion()).isEqualTo(clusterVersion);
    assertThat(on.get(WorkerNode.class, "quiet-w1").getMetadata().getResourceVersion()).isEqualTo(nodeVersion);
  }

  @Test
  void aNewGenerationIsObservedOnStatusAndEveryCondition() {
    client.resource(cluster("gen")).create();
    on.awaitObserved(Cluster.class, "gen");
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("gen")
        .edit(c -> {
          c.getSpec().setKubernetesVersion("v1.35.5");
          return c;
        }));
    Cluster cluster = on.awaitObserved(Cluster.class, "gen");
    assertThat(cluster.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(cluster.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));
  }

  @Test
  void aNodeWithoutItsClusterSaysSoUntilTheClusterExists() {
    client.resource(node(new WorkerNode(), "orphan-w1", "orphan", "192.168.56.51")).create();
    on.awaitObserved(WorkerNode.class, "orphan-w1");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Condition ready = condition(on.get(WorkerNode.class, "orphan-w1").getStatus().getConditions(), "Ready");
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("ClusterNotFound");
      assertThat(ready.getMessage()).contains("orphan");
    });
    client.resource(cluster("orphan")).create();
    // with its Cluster there, the node moves on to host work; its SSH key Secret is missing
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      var conditions = on.get(WorkerNode.class, "orphan-w1").getStatus().getConditions();
      assertThat(condition(conditions, "Ready").getReason()).isEqualTo("SecretNotFound");
      assertThat(condition(conditions, "HostReachable").getStatus()).isEqualTo("False");
      assertThat(condition(conditions, "HostReachable").getMessage()).contains("demo-ssh");
      assertThat(condition(conditions, "Stalled").getStatus()).isEqualTo("True");
    });
  }

  @Test
  void pausingAClusterReachesItsNodes() {
    client.resource(cluster("pause")).create();
    client.resource(node(new ControlPlaneNode(), "pause-cp1", "pause", "192.168.56.61")).create();
    on.awaitObserved(Cluster.class, "pause");
    on.awaitObserved(ControlPlaneNode.class, "pause-cp1");
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("pause").edit(c -> {
      c.getSpec().setPaused(true);
      return c;
    }));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(condition(on.get(Cluster.class, "pause").getStatus().getConditions(), "Paused").getStatus())
          .isEqualTo("True");
      assertThat(condition(on.get(ControlPlaneNode.class, "pause-cp1").getStatus().getConditions(), "Paused").getStatus())
          .isEqualTo("True");
    });
    Conflicts.retry(() -> client.resources(ControlPlaneNode.class).inNamespace(namespace).withName("pause-cp1").edit(n -> {
      n.getMetadata().setAnnotations(Map.of("cairn.dev/paused", "true"));
      return n;
    }));
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("pause").edit(c -> {
      c.getSpec().setPaused(false);
      return c;
    }));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(condition(on.get(Cluster.class, "pause").getStatus().getConditions(), "Paused").getStatus())
            .isEqualTo("False"));
    assertThat(condition(on.get(ControlPlaneNode.class, "pause-cp1").getStatus().getConditions(), "Paused").getStatus())
        .as("the node's own annotation still pauses it").isEqualTo("True");
  }

  // --- helpers

  private static double reconciliations() {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().equals("operator.sdk.reconciliations.success") && m instanceof Counter)
        .mapToDouble(m -> ((Counter) m).count())
        .sum();
  }

  private static void assertHasExactly(List<Condition> conditions, List<String> types, long generation) {
    assertThat(conditions).extracting(Condition::getType).containsExactlyInAnyOrderElementsOf(types);
    assertThat(conditions).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(generation);
      assertThat(c.getReason()).isNotBlank();
      assertThat(c.getLastTransitionTime()).isNotBlank();
      assertThat(c.getStatus()).isIn(Conditions.TRUE, Conditions.FALSE, Conditions.UNKNOWN);
    });
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static Cluster cluster(String name) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.35.4");
    c.setSpec(spec);
    return c;
  }

  private static <N extends HostNode> N node(N node, String name, String cluster, String address) {
    return NodeObjects.node(node, namespace, name, cluster, address, null, "demo-ssh");
  }
}
