package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.CniSpec;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.Taint;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.kubeadm.BootstrapTokens;
import dev.cairn.pki.Pem;
import dev.cairn.pki.Pki;
import dev.cairn.ssh.TestKeys;
import dev.cairn.status.Conditions;
import dev.cairn.testing.Artifacts;
import dev.cairn.testing.Conflicts;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.MemberHost;
import dev.cairn.testing.NodeObjects;
import dev.cairn.testing.OperatorUnderTest;
import dev.cairn.testing.Resources;
import dev.cairn.testing.SshTestHost;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The control plane and joins, end to end through the operator against the real API server:
 * hosts are {@link SshTestHost}s behind real SSH that take Cairn's scripts as a real host would
 * (nothing runs), and the API server also plays the workload cluster, where the test stands in
 * for the kubelets by creating Ready Nodes.
 */
@ExtendWith(ManagementCluster.class)
class ControlPlaneIT {
  private static final String VERSION = MemberHost.VERSION;
  /** A rollout (or bring-up) of four nodes, one after another, while other suites share the two cores. */
  private static final Duration ROLLOUT = Duration.ofMinutes(5);
  private static KubernetesClient client;
  private static KubernetesClient workload;
  private static String kubeconfig;
  private static String namespace;
  private static Resources on;
  private static OperatorUnderTest cairn;
  private static KeyPair clientKey;
  private static final List<SshTestHost> servers = new CopyOnWriteArrayList<>();
  private static final Map<MemberHost, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
  private static final List<String> events = new CopyOnWriteArrayList<>();
  /** Node names are cluster-scoped in the shared API server: unique per run. */
  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

  @BeforeAll
  static void start(ManagementCluster.Server server) throws Exception {
    workload = server.newClient();
    kubeconfig = server.kubeconfig();
    cairn = OperatorUnderTest.start(server, "cp", Duration.ofMinutes(5), workload);
    client = cairn.client;
    namespace = cairn.namespace;
    on = cairn.on;
    clientKey = TestKeys.ed25519();
    cairn.sshKeySecret("ssh", TestKeys.openSshPrivateKey(clientKey, null));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cairn != null) {
      cairn.close();
    }
    for (SshTestHost s : servers) {
      s.close();
    }
    if (workload != null) {
      workload.close();
    }
  }

  @Test
  void theFirstControlPlaneInitialisesWorkersJoinAndTheClusterBecomesReady() throws Exception {
    MemberHost cpHost = host("cp1-" + RUN, "192.168.56.30", 1);
    MemberHost workerHost = host("w1-" + RUN, "192.168.56.31", 2);
    Cluster cluster = cluster("demo", "");
    cluster.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    client.resource(cluster).create();
    WorkerNode worker = node(new WorkerNode(), "w1", "demo", workerHost, "192.168.56.31");
    worker.getSpec().setLabels(Map.of("tier", "db"));
    worker.getSpec().setTaints(List.of(new Taint("dedicated", "db", Taint.Effect.NoSchedule)));
    client.resource(worker).create();
    client.resource(node(new ControlPlaneNode(), "cp1", "demo", cpHost, "192.168.56.30")).create();

    on.awaitCondition(ControlPlaneNode.class, "cp1", "KubeadmInitialized", "True", "Initialized");
    on.awaitCondition(Cluster.class, "demo", "ControlPlaneInitialized", "True", "Initialized");
    // initialised, but its Node is not Ready (no pod network yet): the worker waits, kubeadm's order
    on.awaitCondition(WorkerNode.class, "w1", "Joined", "False", "WaitingForControlPlane");
    assertThat(on.condition(WorkerNode.class, "w1", "Joined").getMessage()).contains("Node is Ready");
    assertThat(events).doesNotContain(workerHost.name + ":join");

    // the control plane's kubelet registers Ready (the test stands in for it): the worker joins
    readyNode(cpHost.name, true);
    on.awaitCondition(ControlPlaneNode.class, "cp1", "NodeReady", "True", "KubeletReady");
    on.awaitCondition(WorkerNode.class, "w1", "Joined", "True", "Joined");
    assertThat(events).containsSubsequence(cpHost.name + ":init", workerHost.name + ":join");

    // the first control plane got the cluster's CAs, and kubeadm init a config from the spec
    Secret ca = client.secrets().inNamespace(namespace).withName("demo-ca").get();
    assertThat(cpHost.files.get("/etc/kubernetes/pki/ca.key")).isEqualTo(decode(ca, "tls.key"));
    assertThat(cpHost.files.get("/etc/kubernetes/pki/sa.key"))
        .isEqualTo(decode(client.secrets().inNamespace(namespace).withName("demo-sa").get(), "tls.key"));
    assertThat(cpHost.files.get("/etc/cairn/kubeadm.yaml")).contains("kind: \"InitConfiguration\"",
        "advertiseAddress: \"192.168.56.30\"", "podSubnet: \"10.244.0.0/16\"", "clusterName: \"demo\"");
    // the worker none of them, and a join config pinned to that CA, with a live token of Cairn's
    assertThat(workerHost.files.keySet()).noneMatch(p -> p.startsWith("/etc/kubernetes/pki/"));
    String join = workerHost.files.get("/etc/cairn/kubeadm-join.yaml");
    assertThat(join).contains("apiServerEndpoint: \"192.168.56.30:6443\"",
        Pki.discoveryHash(Pem.certificate(decode(ca, "tls.crt"))), "value: \"192.168.56.31\"")
        .doesNotContain("controlPlane:");
    List<String> tokens = workload.secrets().inNamespace(BootstrapTokens.NAMESPACE)
        .withLabel(BootstrapTokens.MANAGED_LABEL).list().getItems().stream()
        .map(s -> decode(s, "token-id") + "." + decode(s, "token-secret")).toList();
    assertThat(tokens).anyMatch(join::contains);

    // no Node yet: joined, not Ready
    on.awaitCondition(WorkerNode.class, "w1", "NodeReady", "False", "NodeNotFound");
    assertThat(on.condition(Cluster.class, "demo", "Ready").getStatus()).isEqualTo("False");

    // the worker's kubelet registers too, CoreDNS runs
    readyNode(workerHost.name, false);
    coreDnsAvailable();
    on.awaitCondition(ControlPlaneNode.class, "cp1", "Ready", "True", "KubeletReady");
    on.awaitCondition(WorkerNode.class, "w1", "Ready", "True", "KubeletReady");
    on.awaitCondition(Cluster.class, "demo", "Ready", "True", "Available");
    assertThat(kubectl("wait", "--for=condition=Ready", "cluster.cairn.dev/demo", "-n", namespace, "--timeout=30s"))
        .contains("condition met");
    Cluster ready = on.get(Cluster.class, "demo");
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getPhase()).isEqualTo("Provisioned");
    assertThat(ready.getStatus().getControlPlane().summary()).isEqualTo("1/1");
    assertThat(ready.getStatus().getWorkers().summary()).isEqualTo("1/1");
    for (String type : List.of("ControlPlaneAvailable", "WorkersAvailable", "CNIReady", "CertificatesAvailable")) {
      assertThat(on.condition(Cluster.class, "demo", type).getStatus()).as(type).isEqualTo("True");
    }
    assertThat(on.get(WorkerNode.class, "w1").getStatus().getNodeName()).isEqualTo(workerHost.name);
    assertThat(on.get(WorkerNode.class, "w1").getStatus().getKubeletVersion()).isEqualTo(VERSION);

    // spec labels and taints reach the Node; the control-plane taint stays (not schedulable)
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var n = workload.nodes().withName(workerHost.name).get();
      assertThat(n.getMetadata().getLabels()).containsEntry("tier", "db");
      assertThat(n.getSpec().getTaints()).anyMatch(t -> "dedicated".equals(t.getKey()) && "db".equals(t.getValue()));
    });
    assertThat(workload.nodes().withName(cpHost.name).get().getSpec().getTaints()).anyMatch(WorkloadNode::isControlPlaneTaint);

    // schedulable: the control-plane taint goes, and stays gone
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("demo").edit(c -> {
      c.getSpec().getControlPlane().setSchedulable(true);
      return c;
    }));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        workload.nodes().withName(cpHost.name).get().getSpec().getTaints()).noneMatch(WorkloadNode::isControlPlaneTaint));
    // a label removed from the spec leaves the Node; one Cairn never set stays
    Conflicts.retry(() -> workload.nodes().withName(workerHost.name).edit(n -> {
      n.getMetadata().getLabels().put("someone-else", "x");
      return n;
    }));
    Conflicts.retry(() -> client.resources(WorkerNode.class).inNamespace(namespace).withName("w1").edit(w -> {
      w.getSpec().setLabels(Map.of());
      return w;
    }));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
        workload.nodes().withName(workerHost.name).get().getMetadata().getLabels())
        .doesNotContainKey("tier").containsEntry("someone-else", "x"));

    // a converged host runs nothing; a second look at the cluster initialises nothing again
    int ran = cpHost.host.applies().size();
    assertThat(events).filteredOn(e -> e.equals(cpHost.name + ":init")).hasSize(1);

    // a converged member is not asked over SSH again before the resync is due: Cluster events
    // without a spec change (here: annotations) reach the node reconcilers, which look at the
    // workload cluster only
    int scripts = settledThenPoked("demo", () -> cpHost.host.ran.size() + workerHost.host.ran.size());
    assertThat(cpHost.host.ran.size() + workerHost.host.ran.size()).as("scripts sent after converging").isEqualTo(scripts);

    // ControlPlaneInitialized never goes back, even with the control plane gone
    client.resources(ControlPlaneNode.class).inNamespace(namespace).withName("cp1").delete();
    on.awaitCondition(Cluster.class, "demo", "ControlPlaneAvailable", "False", "ControlPlaneUnavailable");
    assertThat(on.condition(Cluster.class, "demo", "ControlPlaneInitialized").getStatus()).isEqualTo("True");
    assertThat(on.condition(Cluster.class, "demo", "Ready").getStatus()).isEqualTo("False");
    assertThat(cpHost.host.applies()).hasSize(ran);
  }

  @Test
  void furtherControlPlanesJoinOneAtATimeWithTheCaMaterial() throws Exception {
    List<MemberHost> hosts = List.of(host("ha1-" + RUN, "192.168.56.11", 11), host("ha2-" + RUN, "192.168.56.12", 12),
        host("ha3-" + RUN, "192.168.56.13", 13));
    client.resource(cluster("ha", "k8s.lab.example:6443")).create();
    for (int i = 0; i < 3; i++) {
      client.resource(node(new ControlPlaneNode(), "ha" + (i + 1), "ha", hosts.get(i), "192.168.56.1" + (i + 1))).create();
    }
    for (int i = 1; i <= 3; i++) {
      on.awaitCondition(ControlPlaneNode.class, "ha" + i, "Joined", "True", i == 1 ? "Initialized" : "Joined");
    }
    assertThat(events.stream().filter(e -> e.startsWith("ha")).toList()).containsExactly(
        hosts.get(0).name + ":init", hosts.get(1).name + ":join", hosts.get(2).name + ":join");
    Secret etcd = client.secrets().inNamespace(namespace).withName("ha-etcd").get();
    for (MemberHost h : hosts.subList(1, 3)) {
      assertThat(h.files.get("/etc/kubernetes/pki/etcd/ca.key")).isEqualTo(decode(etcd, "tls.key"));
      assertThat(h.files.get("/etc/cairn/kubeadm-join.yaml")).contains("controlPlane:",
          "apiServerEndpoint: \"k8s.lab.example:6443\"");
    }
    assertThat(on.condition(ControlPlaneNode.class, "ha2", "KubeadmInitialized").getReason()).isEqualTo("Joined");
  }

  @Test
  void theCniIsAppliedThroughTheWorkloadApiFromTheMirrorAndTracked() throws Exception {
    Cluster cluster = cluster("net", "");
    cluster.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.FLANNEL);
    cluster.getSpec().getNetwork().setPodSubnet("10.244.0.0/16");
    cluster.getSpec().setImageRepository("10.78.0.1:5000/k8s");
    client.resource(cluster).create();
    MemberHost cp = host("net1-" + RUN, "192.168.56.50", 50);
    cp.host.facts.put("containerd.sandbox", "10.78.0.1:5000/k8s/pause:3.10.1");
    client.resource(node(new ControlPlaneNode(), "net1", "net", cp, "192.168.56.50")).create();
    on.awaitCondition(Cluster.class, "net", "CNIReady", "False", "CNINotReady");
    var flannel = workload.apps().daemonSets().inNamespace("kube-flannel").withName("kube-flannel-ds").get();
    assertThat(flannel.getSpec().getTemplate().getSpec().getContainers())
        .allSatisfy(c -> assertThat(c.getImage()).startsWith("10.78.0.1:5000/k8s/"));
    assertThat(workload.configMaps().inNamespace("kube-flannel").withName("kube-flannel-cfg").get().getData()
        .get("net-conf.json")).contains("10.244.0.0/16");
    assertThat(on.get(Cluster.class, "net").getStatus().getCni().plugin()).isEqualTo("flannel");
    assertThat(on.condition(Cluster.class, "net", "CNIReady").getMessage()).contains("kube-flannel-ds", "0/0");
    assertThat(kubeadmConfig(cp)).contains("imageRepository: \"10.78.0.1:5000/k8s\"");

    // its pods run (the test stands in for the kubelet), and CoreDNS leaves Pending
    flannel.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder().withDesiredNumberScheduled(1)
        .withCurrentNumberScheduled(1).withNumberReady(1).withNumberAvailable(1).withNumberMisscheduled(0).build());
    workload.apps().daemonSets().inNamespace("kube-flannel").resource(flannel).updateStatus();
    coreDnsAvailable();
    on.awaitCondition(Cluster.class, "net", "CNIReady", "True", "Available");

    // a patch for what the manifest has no setting for: applied again, on the live DaemonSet
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("net").edit(c -> {
      c.getSpec().getNetwork().getCni().setPatches(List.of(new dev.cairn.api.v1alpha1.CniPatch("DaemonSet",
          "kube-flannel-ds", "kube-flannel", """
          - {op: replace, path: /spec/template/spec/containers/0/livenessProbe/periodSeconds, value: 60}
          - {op: add, path: /spec/template/spec/containers/0/livenessProbe/timeoutSeconds, value: 30}
          """)));
      return c;
    }));
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(workload.apps().daemonSets()
        .inNamespace("kube-flannel").withName("kube-flannel-ds").get().getSpec().getTemplate().getSpec()
        .getContainers().get(0).getLivenessProbe().getTimeoutSeconds()).isEqualTo(30));
    // one that does not apply: a reason naming it, and nothing of it reaches the workload cluster
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("net").edit(c -> {
      c.getSpec().getNetwork().getCni().setPatches(List.of(
          new dev.cairn.api.v1alpha1.CniPatch("DaemonSet", "kube-flannel-ds", null,
              "[{op: replace, path: /spec/template/spec/containers/0/livenessProbe/periodSeconds, value: 5}]"),
          new dev.cairn.api.v1alpha1.CniPatch("DaemonSet", "kube-flanel-ds", null,
              "[{op: add, path: /metadata/labels/x, value: y}]")));
      return c;
    }));
    on.awaitCondition(Cluster.class, "net", "CNIReady", "False", "CNIConfigInvalid");
    assertThat(on.condition(Cluster.class, "net", "CNIReady").getMessage())
        .contains("cni patch 2 (DaemonSet kube-flanel-ds) matches no object");
    assertThat(workload.apps().daemonSets().inNamespace("kube-flannel").withName("kube-flannel-ds").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getLivenessProbe().getPeriodSeconds()).isEqualTo(60);

    // a version Cairn does not ship: a clear reason, and the cluster needs a person
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("net").edit(c -> {
      c.getSpec().getNetwork().getCni().setVersion("v0.1.0");
      return c;
    }));
    on.awaitCondition(Cluster.class, "net", "CNIReady", "False", "UnsupportedCNIVersion");
    assertThat(on.condition(Cluster.class, "net", "CNIReady").getMessage()).contains("v0.28.10");
    assertThat(on.condition(Cluster.class, "net", "Stalled").getStatus()).isEqualTo("True");
  }

  @Test
  void aVersionChangeRollsThroughControlPlanesThenWorkersAndSurvivesARestart() throws Exception {
    String to = "v1.36.1";
    List<MemberHost> cps = List.of(host("up-cp1-" + RUN, "192.168.56.61", 61), host("up-cp2-" + RUN, "192.168.56.62", 62));
    List<MemberHost> workers = List.of(host("up-w1-" + RUN, "192.168.56.71", 71), host("up-w2-" + RUN, "192.168.56.72", 72));
    Cluster cluster = cluster("up", "k8s.up.example:6443");
    cluster.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    cluster.getSpec().getPackages().setSource(dev.cairn.api.v1alpha1.PackagesSpec.Source.MIRROR);
    cluster.getSpec().getPackages().setMirror("http://mirror.invalid/debian");
    client.resource(cluster).create();
    for (int i = 0; i < 2; i++) {
      client.resource(node(new ControlPlaneNode(), "up-cp" + (i + 1), "up", cps.get(i), "192.168.56.6" + (i + 1))).create();
      client.resource(node(new WorkerNode(), "up-w" + (i + 1), "up", workers.get(i), "192.168.56.7" + (i + 1))).create();
    }
    // the test plays the kubelets: each member's Node registers Ready, at the version its host's kubelet has
    List<MemberHost> all = List.of(cps.get(0), cps.get(1), workers.get(0), workers.get(1));
    List<String> samples = new CopyOnWriteArrayList<>();
    var kubelets = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    kubelets.scheduleWithFixedDelay(() -> all.forEach(h -> kubelet(h, cps.contains(h), samples)), 0, 300,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    try {
      coreDnsAvailable();
      // four nodes' bring-up in a row (workers after the first control plane's Node is Ready)
      on.awaitCondition(Cluster.class, "up", "Ready", "True", "Available", ROLLOUT);
      assertThat(on.condition(Cluster.class, "up", "UpToDate").getMessage()).isEqualTo("4 node(s) run " + VERSION);
      assertThat(on.get(Cluster.class, "up").getStatus().getKubernetesVersion()).isEqualTo(VERSION);
      assertThat(on.get(WorkerNode.class, "up-w2").getStatus().getKubernetesVersion()).isEqualTo(VERSION);

      // somebody cordoned w2 for their own reasons: the rollout drains it too, and leaves it cordoned
      workload.nodes().withName(workers.get(1).name).edit(n -> {
        n.getSpec().setUnschedulable(true);
        return n;
      });
      // two minors at once is refused at admission; one minor is taken
      assertThatUpdateIsRefused("v1.37.3", "skips a minor");
      // w2's package source does not offer the target yet: no host moves, the Cluster says who lacks it
      workers.get(1).sourceLacks = to;
      Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("up").edit(c -> {
        c.getSpec().setKubernetesVersion(to);
        return c;
      }));
      on.awaitCondition(Cluster.class, "up", "UpToDate", "False", "UpgradeBlocked", ROLLOUT);
      await().atMost(ROLLOUT).untilAsserted(() -> assertThat(on.condition(Cluster.class, "up", "UpToDate").getMessage())
          .contains("package source").contains("up-w2").doesNotContain("up-w1"));
      assertThat(events).noneMatch(e -> e.contains(":upgrade-apply:") || e.contains(":kubelet:" + to));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(on.get(WorkerNode.class, "up-w1").getStatus().getPackagesAvailable()).isEqualTo(to));
      // the mirror catches up: the rollout starts by itself (the hosts are asked again on their resync)
      workers.get(1).sourceLacks = null;
      on.awaitCondition(Cluster.class, "up", "UpToDate", "False", "Upgrading", ROLLOUT);
      // the first control plane runs kubeadm upgrade apply; the operator is restarted right after
      await().atMost(ROLLOUT).until(() -> events.contains(cps.get(0).name + ":upgrade-apply:" + to));
      cairn.restart();
      on.awaitCondition(Cluster.class, "up", "UpToDate", "True", "UpToDate", ROLLOUT);
      on.awaitCondition(Cluster.class, "up", "Ready", "True", "Available", ROLLOUT);
    } finally {
      kubelets.shutdownNow();
    }
    List<String> rollout = events.stream().filter(e -> e.startsWith("up-") && e.contains(":" + "upgrade-")
        || e.startsWith("up-") && e.contains(":kubelet:")).map(e -> e.replace("-" + RUN, "")).toList();
    // control planes one at a time, oldest first, apply once; then the workers one at a time
    assertThat(rollout).containsExactly("up-cp1:upgrade-apply:" + to, "up-cp1:kubelet:" + to,
        "up-cp2:upgrade-node:" + to, "up-cp2:kubelet:" + to, "up-w1:upgrade-node:" + to, "up-w1:kubelet:" + to,
        "up-w2:upgrade-node:" + to, "up-w2:kubelet:" + to);
    // each kubelet moved while its Node was cordoned (drained); every Node Cairn cordoned is
    // schedulable again, the one somebody else cordoned is not
    assertThat(samples).hasSize(4).allSatisfy(sample -> assertThat(sample).endsWith("cordoned"));
    for (MemberHost h : all) {
      var n = workload.nodes().withName(h.name).get();
      assertThat(n.getSpec().getUnschedulable()).as(h.name).isEqualTo(h == workers.get(1) ? Boolean.TRUE : null);
      assertThat(n.getMetadata().getAnnotations()).as(h.name).doesNotContainKey(UpgradeCordon.ANNOTATION);
    }
    for (String name : List.of("up-cp1", "up-cp2")) {
      assertThat(on.get(ControlPlaneNode.class, name).getStatus().getKubernetesVersion()).isEqualTo(to);
      assertThat(on.condition(ControlPlaneNode.class, name, "UpToDate").getMessage())
          .isEqualTo("upgraded from " + VERSION + " to " + to);
    }
    for (String name : List.of("up-w1", "up-w2")) {
      assertThat(on.get(WorkerNode.class, name).getStatus().getKubernetesVersion()).isEqualTo(to);
    }
    Cluster done = on.get(Cluster.class, "up");
    assertThat(done.getStatus().getKubernetesVersion()).isEqualTo(to);
    assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
    assertThat(on.condition(Cluster.class, "up", "UpToDate").getMessage()).isEqualTo("4 node(s) run " + to);

    // both control planes' certificates expire in a day; the margin is set to two (a spec change,
    // so the hosts are asked again at once): renewed one at a time, oldest first, with Events
    cps.forEach(h -> h.certificatesExpireIn(Duration.ofDays(1)));
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("up").edit(c -> {
      c.getSpec().setCertificates(new dev.cairn.api.v1alpha1.CertificatesSpec("48h", null));
      return c;
    }));
    await().atMost(ROLLOUT).untilAsserted(() -> assertThat(events).filteredOn(e -> e.endsWith(":renew-certs"))
        .map(e -> e.replace("-" + RUN, "")).containsExactly("up-cp1:renew-certs", "up-cp2:renew-certs"));
    java.time.Instant nextYear = java.time.Instant.now().plus(Duration.ofDays(300));
    await().atMost(ROLLOUT).untilAsserted(() -> {
      for (String name : List.of("up-cp1", "up-cp2")) {
        String at = on.get(ControlPlaneNode.class, name).getStatus().getCertificatesExpireAt();
        assertThat(at).as(name).isNotNull();
        assertThat(java.time.Instant.parse(at)).as(name).isAfter(nextYear);
      }
      String first = on.get(Cluster.class, "up").getStatus().getCertificatesExpireAt();
      assertThat(first).isNotNull();
      assertThat(java.time.Instant.parse(first)).isAfter(nextYear);
    });
    assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .filteredOn(e -> "CertificatesRenewed".equals(e.getReason()))
        .extracting(e -> e.getInvolvedObject().getName()).contains("up-cp1", "up-cp2");
    assertThat(on.get(WorkerNode.class, "up-w1").getStatus().getCertificatesExpireAt()).isNull();

    // a renewBefore longer than what a renewal gives (five hours, four-hour certificates): each
    // control plane renews once, is told why it is due again at once, and is not renewed back to
    // back (before the hold, the next look 20 s later renewed again, restarting the control plane)
    cps.forEach(h -> h.renewalGives(Duration.ofHours(4)));
    cps.forEach(h -> h.certificatesExpireIn(Duration.ofHours(2)));
    Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("up").edit(c -> {
      c.getSpec().setCertificates(new dev.cairn.api.v1alpha1.CertificatesSpec("5h", null));
      return c;
    }));
    // (the Event is recorded before the status that says when is patched: both awaited)
    await().atMost(ROLLOUT).untilAsserted(() -> {
      assertThat(client.v1().events().inNamespace(namespace).list().getItems())
          .filteredOn(e -> "CertificatesDueAgain".equals(e.getReason()))
          .extracting(e -> e.getInvolvedObject().getName()).contains("up-cp1", "up-cp2");
      for (String name : List.of("up-cp1", "up-cp2")) {
        assertThat(on.get(ControlPlaneNode.class, name).getStatus().getCertificatesRenewedAt()).as(name).isNotBlank();
      }
    });
    await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40)).untilAsserted(() ->
        assertThat(events).filteredOn(e -> e.endsWith(":renew-certs")).hasSize(4));
  }

  private void assertThatUpdateIsRefused(String version, String message) {
    Cluster c = on.get(Cluster.class, "up");
    c.getSpec().setKubernetesVersion(version);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.resource(c).update())
        .hasMessageContaining(message);
  }

  /**
   * One look of the test's stand-in kubelet: the Node registers Ready once its host joined, and
   * reports the version of the host's kubelet; when that moves, whether the Node was cordoned is sampled.
   */
  private static void kubelet(MemberHost h, boolean controlPlane, List<String> samples) {
    try {
      String version = h.host.facts.get("kubelet.version");
      var node = workload.nodes().withName(h.name).get();
      if (node == null) {
        if (h.host.facts.get("cairn.member") != null && !h.host.facts.get("cairn.member").isEmpty()) {
          readyNode(h.name, controlPlane);
        }
        return;
      }
      String reported = node.getStatus().getNodeInfo().getKubeletVersion();
      if (!version.equals(reported)) {
        samples.add(h.name + " " + reported + "->" + version + " "
            + (Boolean.TRUE.equals(node.getSpec().getUnschedulable()) ? "cordoned" : "schedulable"));
        node.getStatus().getNodeInfo().setKubeletVersion(version);
        workload.nodes().resource(node).updateStatus();
      }
    } catch (RuntimeException e) {
      // a conflict with the operator's own Node edits: the next look tries again
    }
  }

  /** The real kubectl of the test binaries, against the test API server. */
  private static String kubectl(String... args) throws Exception {
    java.nio.file.Path config = java.nio.file.Files.createTempFile("kubeconfig", ".yaml");
    try {
      java.nio.file.Files.writeString(config, kubeconfig);
      List<String> command = new java.util.ArrayList<>(List.of(Artifacts.kubeApiTestBinaries(
          System.getProperty("cairn.kube.version", dev.cairn.runtime.EmbeddedManagementCluster.DEFAULT_VERSION)).resolve("kubectl").toString(), "--kubeconfig", config.toString()));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as("kubectl %s: %s", String.join(" ", args), out).isZero();
      return out;
    } finally {
      java.nio.file.Files.deleteIfExists(config);
    }
  }

  private static String kubeadmConfig(MemberHost h) {
    return h.files.get("/etc/cairn/kubeadm.yaml");
  }

  @Test
  void aPreparedWorkerWaitingForItsControlPlaneIsNotAskedAgainUntilItCanJoin() throws Exception {
    MemberHost workerHost = host("lone-w-" + RUN, "192.168.56.41", 41);
    Cluster lone = cluster("lone", "");
    lone.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    client.resource(lone).create();
    client.resource(node(new WorkerNode(), "lone-w", "lone", workerHost, "192.168.56.41")).create();
    on.awaitCondition(WorkerNode.class, "lone-w", "Joined", "False", "WaitingForControlPlane");

    // prepared and waiting: after one converged check, neither Cluster events nor the wait's own
    // retries (every 20 s) send it a script
    int scripts = settledThenPoked("lone", () -> workerHost.host.ran.size());
    Thread.sleep(NodeRules.WAIT_RETRY.toMillis() + 5000);
    assertThat(workerHost.host.ran.size()).as("scripts sent to a waiting, prepared host").isEqualTo(scripts);
    assertThat(on.condition(WorkerNode.class, "lone-w", "Reconciling").getReason()).isEqualTo("WaitingForControlPlane");

    // the wait ends with the first control plane, and the worker joins without a spec change
    MemberHost cpHost = host("lone-cp-" + RUN, "192.168.56.40", 40);
    client.resource(node(new ControlPlaneNode(), "lone-cp", "lone", cpHost, "192.168.56.40")).create();
    on.awaitCondition(ControlPlaneNode.class, "lone-cp", "KubeadmInitialized", "True", "Initialized");
    readyNode(cpHost.name, true);
    on.awaitCondition(WorkerNode.class, "lone-w", "Joined", "True", "Joined");
  }

  @Test
  void aSecondControlPlaneWithoutEndpointWaitsAndTheClusterSaysWhy() throws Exception {
    Cluster pair = cluster("pair", "");
    pair.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    client.resource(pair).create();
    client.resource(node(new ControlPlaneNode(), "pair1", "pair", host("pair1-" + RUN, "192.168.56.21", 21),
        "192.168.56.21")).create();
    MemberHost second = host("pair2-" + RUN, "192.168.56.22", 22);
    client.resource(node(new ControlPlaneNode(), "pair2", "pair", second, "192.168.56.22")).create();
    on.awaitCondition(ControlPlaneNode.class, "pair2", "Joined", "False", "ControlPlaneEndpointRequired");
    on.awaitCondition(Cluster.class, "pair", "Stalled", "True", "ControlPlaneEndpointRequired");
    assertThat(on.condition(ControlPlaneNode.class, "pair2", "Stalled").getStatus()).isEqualTo("True");
    assertThat(second.files).doesNotContainKey("/etc/kubernetes/pki/ca.key");
  }

  @Test
  void aHostOfAnotherClusterIsRefusedUntouched() throws Exception {
    Cluster other = cluster("other", "");
    other.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    client.resource(other).create();
    MemberHost foreign = host("foreign-" + RUN, "192.168.56.40", 40);
    foreign.host.facts.put("kubernetes.admin_ca", "f".repeat(64));
    foreign.host.facts.put("kubernetes.leftovers", "/etc/kubernetes/admin.conf");
    client.resource(node(new ControlPlaneNode(), "foreign", "other", foreign, "192.168.56.40")).create();
    on.awaitCondition(ControlPlaneNode.class, "foreign", "PreflightPassed", "False", "PreflightFailed");
    assertThat(on.condition(ControlPlaneNode.class, "foreign", "PreflightPassed").getMessage())
        .contains("belongs to another cluster", "sha256:ffffffffffff");
    assertThat(on.condition(ControlPlaneNode.class, "foreign", "Stalled").getStatus()).isEqualTo("True");
    assertThat(foreign.host.applies()).isEmpty();
    assertThat(on.condition(Cluster.class, "other", "ControlPlaneInitialized").getStatus()).isEqualTo("False");
  }

  @Test
  void aHostThatDoesNotAnswerIsNotAskedOnEveryEventButAgainLater() throws Exception {
    try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      // takes the connection and hangs up: what an overloaded or rebooting host looks like to SSH
      java.util.concurrent.atomic.AtomicInteger knocks = new java.util.concurrent.atomic.AtomicInteger();
      Thread door = new Thread(() -> {
        while (!mute.isClosed()) {
          try (java.net.Socket s = mute.accept()) {
            knocks.incrementAndGet();
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      door.setDaemon(true);
      door.start();
      Cluster quiet = cluster("quiet", "");
      quiet.getSpec().getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
      client.resource(quiet).create();
      WorkerNode worker = node(new WorkerNode(), "quiet-w", "quiet", host("quiet-" + RUN, "192.168.56.60", 60),
          "192.168.56.60");
      worker.getSpec().getHost().setPort(mute.getLocalPort());
      client.resource(worker).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> on.get(WorkerNode.class, "quiet-w") != null
          && on.get(WorkerNode.class, "quiet-w").getStatus() != null
          && Conditions.find(on.get(WorkerNode.class, "quiet-w").getStatus().getConditions(), "HostReachable")
              .filter(c -> "False".equals(c.getStatus())).isPresent());
      assertThat(on.condition(WorkerNode.class, "quiet-w", "HostReachable").getReason()).isIn("ConnectionLost",
          "HostUnreachable");
      int tried = knocks.get();

      for (int i = 0; i < 3; i++) {
        int n = i;
        Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName("quiet").edit(c -> {
          c.getMetadata().getAnnotations().put("test/poke", String.valueOf(n));
          return c;
        }));
      }
      Thread.sleep(5000);
      assertThat(knocks.get()).as("connections during three Cluster events").isEqualTo(tried);

      // not given up: asked again once the retry is due
      await().atMost(Duration.ofSeconds(60)).until(() -> knocks.get() > tried);
    }
  }

  // --- helpers

  /**
   * Waits until {@code scripts} stays put for three looks, then sends the Cluster three events
   * without a spec change (annotation edits); returns the count it settled at.
   */
  private static int settledThenPoked(String cluster, java.util.function.IntSupplier scripts)
      throws InterruptedException {
    int settled = -1;
    for (int stable = 0; stable < 3; ) {
      int now = scripts.getAsInt();
      stable = now == settled ? stable + 1 : 0;
      settled = now;
      Thread.sleep(2000);
    }
    for (int i = 0; i < 3; i++) {
      int n = i;
      Conflicts.retry(() -> client.resources(Cluster.class).inNamespace(namespace).withName(cluster).edit(c -> {
        c.getMetadata().getAnnotations().put("test/poke", String.valueOf(n));
        return c;
      }));
      Thread.sleep(2000);
    }
    return settled;
  }

  private static MemberHost host(String name, String address, int index) throws Exception {
    MemberHost h = new MemberHost(name, address, index, events);
    SshTestHost server = SshTestHost.scripted(clientKey.getPublic(), h::run);
    servers.add(server);
    ports.put(h, server.port());
    return h;
  }

  private static int portOf(MemberHost h) {
    return ports.get(h);
  }

  private static void readyNode(String name, boolean controlPlane) {
    var builder = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
    if (controlPlane) {
      builder.editSpec().withTaints(new TaintBuilder().withKey(WorkloadNode.CONTROL_PLANE_TAINT).withEffect("NoSchedule")
          .build()).endSpec();
    }
    workload.nodes().resource(builder.build()).create();
    var status = new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
        .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
            .withMessage("kubelet is posting ready status").build())
        .withNewNodeInfo().withKubeletVersion(VERSION).withArchitecture("amd64").withBootID("b")
        .withContainerRuntimeVersion("containerd://1.6.20").withKernelVersion("6.1").withKubeProxyVersion(VERSION)
        .withMachineID("m").withOperatingSystem("linux").withOsImage("Debian").withSystemUUID("u").endNodeInfo()
        .build();
    dev.cairn.testing.FakeKubelet.report(workload, name, status);
  }

  private static void coreDnsAvailable() {
    var dns = workload.apps().deployments().inNamespace("kube-system").withName("coredns").get();
    if (dns == null) {
      dns = workload.apps().deployments().inNamespace("kube-system").resource(new DeploymentBuilder()
          .withNewMetadata().withName("coredns").withNamespace("kube-system").endMetadata()
          .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("k8s-app", "kube-dns").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("k8s-app", "kube-dns").endMetadata()
          .withNewSpec().addNewContainer().withName("coredns").withImage("registry.k8s.io/coredns/coredns:v1.12.1")
          .endContainer().endSpec().endTemplate().endSpec().build()).create();
    }
    dns.setStatus(new DeploymentStatusBuilder().withReplicas(2).withAvailableReplicas(2).withReadyReplicas(2).build());
    workload.apps().deployments().inNamespace("kube-system").resource(dns).updateStatus();
  }

  private static Cluster cluster(String name, String endpoint) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion(VERSION);
    spec.setControlPlaneEndpoint(endpoint);
    spec.getPackages().setSource(dev.cairn.api.v1alpha1.PackagesSpec.Source.PREINSTALLED);
    c.setSpec(spec);
    return c;
  }

  private static <N extends HostNode> N node(N node, String name, String cluster, MemberHost host, String advertise) {
    NodeObjects.node(node, namespace, name, cluster, "127.0.0.1", portOf(host), "ssh");
    node.getSpec().setAdvertiseAddress(advertise);
    return node;
  }

  private static String decode(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }
}
