package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.CniSpec;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.ssh.TestKeys;
import dev.cairn.testing.Conflicts;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.MemberHost;
import dev.cairn.testing.NodeObjects;
import dev.cairn.testing.OperatorUnderTest;
import dev.cairn.testing.Resources;
import dev.cairn.testing.SshTestHost;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How nodes and clusters go, through the operator against the real API server (which also plays
 * the workload cluster; the test stands in for the kubelets), with {@link SshTestHost} hosts:
 * drain, reset, Node removal, PodDisruptionBudgets and timeouts, the deletion order of a Cluster,
 * and drift.
 */
@ExtendWith(ManagementCluster.class)
class NodeLifecycleIT {
  private static final String VERSION = MemberHost.VERSION;
  private static KubernetesClient client;
  private static KubernetesClient workload;
  private static String namespace;
  private static Resources on;
  private static OperatorUnderTest cairn;
  private static KeyPair clientKey;
  private static final Map<MemberHost, SshTestHost> servers = new java.util.concurrent.ConcurrentHashMap<>();
  private static final List<String> events = new CopyOnWriteArrayList<>();
  /** Node names are cluster-scoped in the shared API server: unique per run. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void start(ManagementCluster.Server server) throws Exception {
    workload = server.newClient();
    cairn = OperatorUnderTest.start(server, "life", Duration.ofMinutes(5), workload);
    client = cairn.client;
    namespace = cairn.namespace;
    on = cairn.on;
    clientKey = TestKeys.ed25519();
    cairn.sshKeySecret("ssh", TestKeys.openSshPrivateKey(clientKey, null));
    // no controller-manager here: the ServiceAccount admission wants the default account to exist
    client.resource(new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(namespace)
        .endMetadata().build()).create();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cairn != null) {
      cairn.close();
    }
    for (SshTestHost s : servers.values()) {
      s.close();
    }
    if (workload != null) {
      workload.close();
    }
  }

  @Test
  void deletingAJoinedWorkerDrainsItResetsItsHostAndRemovesItsNode() throws Exception {
    MemberHost cp = host("dr-cp-" + RUN, "192.168.56.70", 70);
    MemberHost w = host("dr-w-" + RUN, "192.168.56.71", 71);
    client.resource(cluster("drain")).create();
    client.resource(node(new ControlPlaneNode(), "drain-cp", "drain", cp, "5m")).create();
    readyNode(cp.name);
    client.resource(node(new WorkerNode(), "drain-w", "drain", w, "5m")).create();
    on.awaitCondition(WorkerNode.class, "drain-w", "Joined", "True", "Joined");
    workloadNode(w.name);
    assertThat(on.get(WorkerNode.class, "drain-w").getMetadata().getFinalizers()).contains("cairn.dev/cleanup");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(on.get(WorkerNode.class, "drain-w")
        .getMetadata().getOwnerReferences()).anySatisfy(o -> {
          assertThat(o.getKind()).isEqualTo("Cluster");
          assertThat(o.getName()).isEqualTo("drain");
          assertThat(o.getBlockOwnerDeletion()).isFalse();
        }));

    // drift: swap comes back on a converged host; the next check turns it off again and says so
    w.host.onApply("swapoff -a", f -> f.putAll(Map.of("swap.active", "", "swap.fstab", "", "swap.units", "")));
    w.host.facts.putAll(Map.of("swap.active", "/swapfile", "swap.fstab", "/swapfile"));
    Conflicts.retry(() -> client.resources(WorkerNode.class).inNamespace(namespace).withName("drain-w").edit(n -> {
      n.getSpec().setLabels(Map.of("touched", "yes"));
      return n;
    }));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(events("drain-w", "Drifted"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).contains("swap-off");
        }));

    Pod app = workload.pods().inNamespace(namespace).resource(pod("app", w.name, Map.of("app", "web"))).create();
    Pod daemon = workload.pods().inNamespace(namespace).resource(new PodBuilder(pod("ds-pod", w.name, Map.of()))
        .editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName("ds")
        .withUid(UUID.randomUUID().toString()).withController(true).endOwnerReference().endMetadata().build()).create();
    int resetsBefore = w.resets;
    client.resources(WorkerNode.class).inNamespace(namespace).withName("drain-w").delete();

    // cordoned, the pod evicted (graceful: it terminates when the kubelet, here the test, says so)
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(workload.nodes().withName(w.name).get().getSpec().getUnschedulable()).isTrue();
      assertThat(workload.pods().inNamespace(namespace).withName("app").get().getMetadata().getDeletionTimestamp())
          .isNotNull();
    });
    on.awaitCondition(WorkerNode.class, "drain-w", "Deleting", "True", "DrainingNode");
    assertThat(on.condition(WorkerNode.class, "drain-w", "Deleting").getMessage()).contains("1 pod(s)", w.name);
    assertThat(on.get(WorkerNode.class, "drain-w").getStatus().getPhase()).isEqualTo("Deleting");
    assertThat(w.resets).as("no reset while pods are still leaving").isEqualTo(resetsBefore);
    assertThat(workload.pods().inNamespace(namespace).withName("ds-pod").get().getMetadata().getDeletionTimestamp())
        .as("a DaemonSet's pod is not evicted").isNull();
    workload.pods().inNamespace(namespace).withName("app").withGracePeriod(0).delete();

    on.awaitGone(WorkerNode.class, "drain-w");
    assertThat(w.resets).isEqualTo(resetsBefore + 1);
    assertThat(w.host.ran).anyMatch(s -> s.contains("kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock")
        && s.contains("rm -f /etc/cairn/member"));
    assertThat(w.host.facts.get("cairn.member")).isEmpty();
    assertThat(workload.nodes().withName(w.name).get()).isNull();
    assertThat(events("drain-w", "DeletionCompleted")).isNotEmpty();
    assertThat(app).isNotNull();
    assertThat(daemon).isNotNull();
    // the control plane was not touched by any of it
    assertThat(cp.resets).isZero();
  }

  @Test
  void aPodDisruptionBudgetHoldsTheDrainUntilTheDrainTimeout() throws Exception {
    MemberHost cp = host("pdb-cp-" + RUN, "192.168.56.72", 72);
    MemberHost w = host("pdb-w-" + RUN, "192.168.56.73", 73);
    client.resource(cluster("pdb")).create();
    client.resource(node(new ControlPlaneNode(), "pdb-cp", "pdb", cp, "5m")).create();
    readyNode(cp.name);
    client.resource(node(new WorkerNode(), "pdb-w", "pdb", w, "8s")).create();
    on.awaitCondition(WorkerNode.class, "pdb-w", "Joined", "True", "Joined");
    workloadNode(w.name);
    Pod db = workload.pods().inNamespace(namespace).resource(pod("db", w.name, Map.of("app", "db"))).create();
    // running and ready, as its kubelet would say: a Pending pod may be evicted whatever the budget
    db.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
    workload.pods().inNamespace(namespace).resource(db).updateStatus();
    workload.policy().v1().podDisruptionBudget().inNamespace(namespace).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName("db").endMetadata().withNewSpec().withNewMinAvailable(1).withNewSelector()
        .addToMatchLabels("app", "db").endSelector().endSpec().build()).create();

    client.resources(WorkerNode.class).inNamespace(namespace).withName("pdb-w").delete();
    on.awaitCondition(WorkerNode.class, "pdb-w", "Deleting", "True", "DrainingNode");
    assertThat(on.condition(WorkerNode.class, "pdb-w", "Deleting").getMessage())
        .contains("PodDisruptionBudget", namespace + "/db", "spec.drainTimeout 8s");
    assertThat(w.resets).isZero();

    on.awaitGone(WorkerNode.class, "pdb-w");
    assertThat(workload.pods().inNamespace(namespace).withName("db").get().getMetadata().getDeletionTimestamp())
        .as("the budget was respected: never evicted").isNull();
    assertThat(w.resets).isEqualTo(1);
    assertThat(events("pdb-w", "DeletionCompleted")).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("drain timed out after 8s");
    });
  }

  @Test
  void anUnreachableHostIsGivenUpAfterTheHostTimeoutAndItsNodeStillGoes() throws Exception {
    MemberHost cp = host("gone-cp-" + RUN, "192.168.56.74", 74);
    MemberHost w = host("gone-w-" + RUN, "192.168.56.75", 75);
    client.resource(cluster("gone")).create();
    client.resource(node(new ControlPlaneNode(), "gone-cp", "gone", cp, "5m")).create();
    readyNode(cp.name);
    client.resource(node(new WorkerNode(), "gone-w", "gone", w, "4s")).create();
    on.awaitCondition(WorkerNode.class, "gone-w", "Joined", "True", "Joined");
    workloadNode(w.name);
    servers.get(w).close();

    client.resources(WorkerNode.class).inNamespace(namespace).withName("gone-w").delete();
    on.awaitCondition(WorkerNode.class, "gone-w", "Deleting", "True", "ResettingHost");
    assertThat(on.condition(WorkerNode.class, "gone-w", "Deleting").getMessage()).contains("could not reset the host yet");
    on.awaitGone(WorkerNode.class, "gone-w");
    assertThat(events("gone-w", "HostNotReset")).anySatisfy(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).contains("the host was NOT reset");
    });
    assertThat(workload.nodes().withName(w.name).get()).as("the Node goes anyway").isNull();
    assertThat(w.resets).isZero();
  }

  @Test
  void theLastControlPlaneWaitsForTheWorkers() throws Exception {
    MemberHost cp = host("last-cp-" + RUN, "192.168.56.76", 76);
    MemberHost w = host("last-w-" + RUN, "192.168.56.77", 77);
    client.resource(cluster("last")).create();
    client.resource(node(new ControlPlaneNode(), "last-cp", "last", cp, "5m")).create();
    readyNode(cp.name);
    client.resource(node(new WorkerNode(), "last-w", "last", w, "5m")).create();
    on.awaitCondition(WorkerNode.class, "last-w", "Joined", "True", "Joined");

    client.resources(ControlPlaneNode.class).inNamespace(namespace).withName("last-cp").delete();
    on.awaitCondition(ControlPlaneNode.class, "last-cp", "Deleting", "True", "WaitingForWorkersDeletion");
    assertThat(on.condition(ControlPlaneNode.class, "last-cp", "Deleting").getMessage()).contains("last-w");
    assertThat(on.condition(ControlPlaneNode.class, "last-cp", "Ready").getStatus()).isEqualTo("False");
    assertThat(cp.resets).isZero();
    assertThat(on.get(ControlPlaneNode.class, "last-cp")).isNotNull();

    client.resources(WorkerNode.class).inNamespace(namespace).withName("last-w").delete();
    on.awaitGone(WorkerNode.class, "last-w");
    on.awaitGone(ControlPlaneNode.class, "last-cp");
    assertThat(events).containsSubsequence(w.name + ":reset", cp.name + ":reset");
  }

  @Test
  void deletingAClusterTakesWorkersThenControlPlanesThenItsSecrets() throws Exception {
    MemberHost cp = host("ord-cp-" + RUN, "192.168.56.80", 80);
    MemberHost w1 = host("ord-w1-" + RUN, "192.168.56.81", 81);
    MemberHost w2 = host("ord-w2-" + RUN, "192.168.56.82", 82);
    client.resource(cluster("order")).create();
    client.resource(node(new ControlPlaneNode(), "order-cp", "order", cp, "5m")).create();
    readyNode(cp.name);
    client.resource(node(new WorkerNode(), "order-w1", "order", w1, "5m")).create();
    client.resource(node(new WorkerNode(), "order-w2", "order", w2, "5m")).create();
    on.awaitCondition(WorkerNode.class, "order-w1", "Joined", "True", "Joined");
    on.awaitCondition(WorkerNode.class, "order-w2", "Joined", "True", "Joined");
    for (MemberHost h : List.of(w1, w2)) {
      workloadNode(h.name);
    }
    assertThat(client.secrets().inNamespace(namespace).withLabel("cluster.x-k8s.io/cluster-name", "order").list()
        .getItems()).hasSizeGreaterThanOrEqualTo(5);
    assertThat(on.get(Cluster.class, "order").getMetadata().getFinalizers()).contains("cairn.dev/cleanup");

    // what happens to the nodes, in order: "marked <kind>/<name>" and "gone <kind>/<name>"
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Watch> watches = new ArrayList<>();
    watches.add(client.resources(WorkerNode.class).inNamespace(namespace).watch(recorder(seen)));
    watches.add(client.resources(ControlPlaneNode.class).inNamespace(namespace).watch(recorder(seen)));
    try {
      client.resources(Cluster.class).inNamespace(namespace).withName("order").delete();
      on.awaitCondition(Cluster.class, "order", "Deleting", "True", "WaitingForWorkersDeletion");
      on.awaitGone(Cluster.class, "order");
    } finally {
      watches.forEach(Watch::close);
    }
    List<String> order = seen.stream().filter(s -> s.contains("order-")).distinct().toList();
    int lastWorkerGone = Math.max(order.indexOf("gone WorkerNode/order-w1"), order.indexOf("gone WorkerNode/order-w2"));
    assertThat(order).as("%s", order).contains("gone WorkerNode/order-w1", "gone WorkerNode/order-w2",
        "marked ControlPlaneNode/order-cp", "gone ControlPlaneNode/order-cp");
    assertThat(order.indexOf("marked ControlPlaneNode/order-cp")).as("%s", order).isGreaterThan(lastWorkerGone);
    assertThat(events.indexOf(cp.name + ":reset")).isGreaterThan(events.indexOf(w1.name + ":reset"))
        .isGreaterThan(events.indexOf(w2.name + ":reset"));

    // nothing of the cluster is left in the namespace
    assertThat(client.resources(WorkerNode.class).inNamespace(namespace).list().getItems())
        .noneMatch(n -> "order".equals(n.getSpec().getClusterName()));
    assertThat(client.resources(ControlPlaneNode.class).inNamespace(namespace).list().getItems())
        .noneMatch(n -> "order".equals(n.getSpec().getClusterName()));
    assertThat(client.secrets().inNamespace(namespace).withLabel("cluster.x-k8s.io/cluster-name", "order").list()
        .getItems()).isEmpty();
    assertThat(client.secrets().inNamespace(namespace).list().getItems())
        .noneMatch(s -> s.getMetadata().getName().startsWith("order-"));
    for (MemberHost h : List.of(cp, w1, w2)) {
      assertThat(workload.nodes().withName(h.name).get()).as(h.name).isNull();
      assertThat(h.resets).as(h.name).isEqualTo(1);
    }
  }

  @Test
  void aNodeThatNeverJoinedGoesAtOnceWithoutAReset() throws Exception {
    MemberHost w = host("fresh-w-" + RUN, "192.168.56.85", 85);
    client.resource(cluster("fresh")).create();
    client.resource(node(new WorkerNode(), "fresh-w", "fresh", w, "5m")).create();
    on.awaitCondition(WorkerNode.class, "fresh-w", "Joined", "False", "WaitingForControlPlane");
    // the Cluster, still converging, says where its members stand and who is furthest behind
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      var reconciling = on.condition(Cluster.class, "fresh", "Reconciling");
      assertThat(reconciling.getStatus()).isEqualTo("True");
      assertThat(reconciling.getMessage()).startsWith("control planes 0/0 Ready, workers 0/1 Ready; ")
          .contains("; furthest behind: fresh-w (Joined: ");
      assertThat(on.condition(Cluster.class, "fresh", "Ready").getMessage()).isEqualTo(reconciling.getMessage());
    });
    long start = System.nanoTime();
    client.resources(WorkerNode.class).inNamespace(namespace).withName("fresh-w").delete();
    on.awaitGone(WorkerNode.class, "fresh-w");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(w.resets).isZero();
    assertThat(w.host.ran).noneMatch(s -> s.contains("kubeadm reset -f"));
    assertThat(events("fresh-w", "DeletionCompleted")).anySatisfy(e ->
        assertThat(e.getMessage()).contains("never joined"));
  }

  @Test
  void aCorrectedSshKeySecretIsNoticedAtOnceNotAtTheResync() throws Exception {
    MemberHost w = host("key-w-" + RUN, "192.168.56.86", 86);
    client.resource(cluster("key")).create();
    // the Secret holds some other key: the host refuses it, and that needs a person (the next
    // look would be the resync, five minutes here)
    cairn.sshKeySecret("key-ssh", TestKeys.openSshPrivateKey(TestKeys.ed25519(), null));
    WorkerNode node = node(new WorkerNode(), "key-w", "key", w, "5m");
    node.getSpec().getHost().setSshKeySecretRef(new dev.cairn.api.v1alpha1.LocalObjectReference("key-ssh"));
    client.resource(node).create();
    on.awaitCondition(WorkerNode.class, "key-w", "HostReachable", "False", "AuthenticationFailed");
    // the Cluster says so itself, naming the member: a `kubectl wait` on it need not run out its timeout
    on.awaitCondition(Cluster.class, "key", "Stalled", "True", "AuthenticationFailed");
    assertThat(on.condition(Cluster.class, "key", "Stalled").getMessage()).startsWith("key-w: AuthenticationFailed: ");
    assertThat(on.condition(Cluster.class, "key", "Ready").getReason()).isEqualTo("AuthenticationFailed");
    assertThat(on.condition(Cluster.class, "key", "Ready").getMessage()).startsWith("Stalled: key-w: ");
    // the Cluster's own status changes reach the node too: wait until nothing asks the host any more
    SshTestHost server = servers.get(w);
    int[] attempts = {-1};
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(5))
        .until(() -> {
          boolean same = attempts[0] == server.authAttempts.get();
          attempts[0] = server.authAttempts.get();
          return same;
        });
    int sessions = server.sessions.get();

    // the right key put in: the node is reconciled on the Secret's change
    String right = TestKeys.openSshPrivateKey(clientKey, null);
    long start = System.nanoTime();
    client.secrets().inNamespace(namespace).withName("key-ssh").edit(s -> {
      s.setData(null);
      s.setStringData(Map.of("ssh-privatekey", right));
      return s;
    });
    on.awaitCondition(WorkerNode.class, "key-w", "HostReachable", "True", "Connected", Duration.ofSeconds(20));
    System.out.printf("key-w: reachable %d ms after its Secret was corrected%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    assertThat(server.sessions.get()).isGreaterThan(sessions);
    on.awaitCondition(Cluster.class, "key", "Stalled", "False", "NotStalled");
  }

  @Test
  void aFailedStepWaitsForTheAttemptItsStatusNamesWhateverWakesTheNode() throws Exception {
    MemberHost w = host("retry-w-" + RUN, "192.168.56.87", 87);
    w.host.facts.putAll(Map.of("swap.active", "/swapfile", "swap.fstab", "/swapfile", "swap.units", "swapfile.swap"));
    w.host.failOn("swapoff -a", 1, "swapoff: /swapfile: Operation not permitted");
    client.resource(cluster("retry")).create();
    client.resource(node(new WorkerNode(), "retry-w", "retry", w, "5m")).create();
    on.awaitCondition(WorkerNode.class, "retry-w", "Reconciling", "True", "WaitingToRetry");
    String message = on.condition(WorkerNode.class, "retry-w", "Reconciling").getMessage();
    java.util.regex.Matcher at = java.util.regex.Pattern.compile("next attempt at (\\S+) \\(attempt (\\d+)\\)$").matcher(message);
    assertThat(at.find()).as("Reconciling: %s", message).isTrue();
    java.time.Instant next = java.time.Instant.parse(at.group(1));
    int attempt = Integer.parseInt(at.group(2));
    int ran = w.host.ran.size();

    // wake it: a Cluster change reaches its nodes at once, and must not run the failing plan early
    client.resources(Cluster.class).inNamespace(namespace).withName("retry").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"woken\":\"yes\"}}}");
    Duration quiet = Duration.between(java.time.Instant.now(), next).minusSeconds(1);
    System.out.printf("retry-w: %s; quiet for %d ms%n", message, quiet.toMillis());
    if (!quiet.isNegative()) {
      await().during(quiet).atMost(quiet.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
          .until(() -> w.host.ran.size() == ran);
    }
    // and at the time it named, the next attempt runs
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
        on.condition(WorkerNode.class, "retry-w", "Reconciling").getMessage()).endsWith("(attempt " + (attempt + 1) + ")"));
    assertThat(w.host.ran.size()).isGreaterThan(ran);
    // the Cluster names the member without the retry's time: its message does not move with every attempt
    assertThat(on.condition(Cluster.class, "retry", "Reconciling").getMessage())
        .contains("furthest behind: retry-w").doesNotContain("next attempt at");
  }

  // --- helpers

  private static <T extends HostNode> Watcher<T> recorder(List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T n) {
        String id = n.getKind() + "/" + n.getMetadata().getName();
        if (action == Action.DELETED) {
          seen.add("gone " + id);
        } else if (n.getMetadata().getDeletionTimestamp() != null) {
          seen.add("marked " + id);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static MemberHost host(String name, String address, int index) throws Exception {
    MemberHost h = new MemberHost(name, address, index, events);
    servers.put(h, SshTestHost.scripted(clientKey.getPublic(), h::run));
    return h;
  }

  /** The control plane's kubelet, Ready with its pod network: from then on workers join. */
  private static void readyNode(String name) {
    workload.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().endSpec().build()).create();
    dev.cairn.testing.FakeKubelet.report(workload, name, new NodeStatusBuilder().withConditions(new NodeConditionBuilder().withType("Ready")
        .withStatus("True").withReason("KubeletReady").withMessage("kubelet is posting ready status").build())
        .withNewNodeInfo().withKubeletVersion(VERSION).withArchitecture("amd64").withBootID("b")
        .withContainerRuntimeVersion("containerd://1.7.24").withKernelVersion("6.1").withKubeProxyVersion(VERSION)
        .withMachineID("m").withOperatingSystem("linux").withOsImage("Debian").withSystemUUID("u").endNodeInfo()
        .build());
  }

  private static void workloadNode(String name) {
    workload.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
        .build()).create();
  }

  private static Pod pod(String name, String nodeName, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
        .withNewSpec().withNodeName(nodeName).withAutomountServiceAccountToken(false).addNewContainer().withName("c")
        .withImage("registry.example/app:1").endContainer().endSpec().build();
  }

  private static List<Event> events(String involved, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }

  private static Cluster cluster(String name) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion(VERSION);
    spec.getPackages().setSource(dev.cairn.api.v1alpha1.PackagesSpec.Source.PREINSTALLED);
    spec.getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    c.setSpec(spec);
    return c;
  }

  private static <N extends HostNode> N node(N node, String name, String cluster, MemberHost host,
      String drainTimeout) {
    NodeObjects.node(node, namespace, name, cluster, "127.0.0.1", servers.get(host).port(), "ssh");
    node.getSpec().setDrainTimeout(drainTimeout);
    return node;
  }

}
