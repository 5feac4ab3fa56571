package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.CniPatch;
import dev.cairn.api.v1alpha1.ControlPlaneArgs;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.KubeadmPatch;
import dev.cairn.api.v1alpha1.KubeadmTimeouts;
import dev.cairn.api.v1alpha1.RegistrySpec;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.runtime.CairnOperator;
import dev.cairn.runtime.Settings;
import dev.cairn.ssh.ExecResult;
import dev.cairn.ssh.HostKeyPolicy;
import dev.cairn.ssh.SshCredentials;
import dev.cairn.ssh.SshException;
import dev.cairn.ssh.SshSession;
import dev.cairn.ssh.SshTarget;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.Namespaces;
import dev.cairn.testing.Resources;
import dev.cairn.testing.Testbed;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The offline end-to-end proof: two Debian guests under QEMU with the seed's two networks (a NAT
 * NIC with the default route, which reaches nothing, and a host-only one: {@code testbed/e2e-lab.sh})
 * become a kubeadm cluster because Cairn, running against the real API server, was given the
 * seed's example {@code examples/seed-cluster.yaml} (Pod network 20.96.0.0/12, Service network
 * 10.96.0.0/12, upstream Calico) adapted to them only where the lab must differ: addresses, packages
 * from the local apt repository, images from the local registry (plain HTTP, through
 * {@code spec.registries}), the slow-site tunings. Nothing here runs a kubeadm or apt command by
 * hand; the test only applies objects, waits on their conditions, and then looks at the workload
 * cluster through the {@code <cluster>-kubeconfig} Secret and at the guests over SSH.
 *
 * <p>The Cluster also carries what a slow (emulated, TCG) site sets: long kubeadm timeouts,
 * calmer etcd elections, no leader election for a single control plane, patient static-pod
 * probes. Phase times go to {@code target/e2e/summary.json}.
 */
@ExtendWith(ManagementCluster.class)
class ClusterE2EIT {
  private static final Duration LONG = Duration.ofMinutes(60);
  private static final Path SUMMARY = Path.of("target/e2e/summary.json");
  private static final String CLUSTER = "demo";
  /** The example's SSH key Secret: the user's, named in the nodes' sshKeySecretRef; it outlives the Cluster. */
  private static final String SSH_SECRET = "demo-ssh";
  private static final String CP = "demo-cp1";
  private static final String WORKER = "demo-w1";
  /** The seed's networks, as examples/seed-cluster.yaml has them (asserted when it is read). */
  private static final String POD_SUBNET = "20.96.0.0/12";
  private static final String SERVICE_SUBNET = "10.96.0.0/12";

  private static KubernetesClient client;
  private static String namespace;
  private static Resources on;
  private static CairnOperator operator;
  private static SimpleMeterRegistry registry;
  private static Progress progress;
  private static Map<String, String> lab;
  private static final Map<String, Object> phases = new LinkedHashMap<>();
  private static final Map<String, Object> summary = new LinkedHashMap<>();
  private static long t0;

  @BeforeAll
  static void start(ManagementCluster.Server server) throws IOException {
    long bootStart = System.nanoTime();
    // fresh guests: whatever an earlier run left on them goes with them
    Testbed.run(Map.of(), 300, "e2e-lab.sh", "down");
    lab = parse(Testbed.run(Map.of(), 7200, "e2e-lab.sh", "up"));
    summary.put("labUpSeconds", seconds(bootStart));
    client = server.client();
    namespace = Namespaces.create(client, "e2e");
    on = new Resources(client, namespace);
    registry = new SimpleMeterRegistry();
    operator = new CairnOperator(server.newClient(), Settings.defaults().withNamespaces(Set.of(namespace)),
        registry, Clock.systemUTC()).start();
    progress = Progress.start(client, namespace);
  }

  @AfterAll
  static void stop() throws IOException {
    if (progress != null) {
      progress.close();
    }
    if (operator != null) {
      operator.close();
    }
    summary.put("phasesSeconds", phases);
    summary.put("sshRoundTrips", registry == null ? 0 : registry.find("cairn.ssh.round.trips").counters().stream()
        .mapToDouble(Counter::count).sum());
    summary.put("stepApplies", registry == null ? 0 : registry.find("cairn.step.applies").counters().stream()
        .mapToDouble(Counter::count).sum());
    Files.createDirectories(SUMMARY.getParent());
    Files.writeString(SUMMARY, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
    System.out.println("e2e summary (" + SUMMARY.toAbsolutePath() + "):\n" + Files.readString(SUMMARY));
    if (!"1".equals(System.getenv("CAIRN_E2E_KEEP"))) {
      Testbed.run(Map.of(), 300, "e2e-lab.sh", "down");
    }
  }

  @Test
  void aClusterFromTheExampleComesUpServesAcrossNodesAndGoesAwayCleanly() throws Exception {
    List<HasMetadata> objects = adaptedExample();
    client.resource(new SecretBuilder().withNewMetadata().withName(SSH_SECRET).withNamespace(namespace).endMetadata()
        .withStringData(Map.of("ssh-privatekey", Testbed.privateKey())).build()).create();
    t0 = System.nanoTime();
    // applied as Git would (server-side apply, one field manager), so the upgrade below is the
    // same objects applied again with one line changed
    objects.forEach(ClusterE2EIT::applyAsGit);

    // the bootstrap path, timed by the conditions that mark each phase
    milestone("hostPrepControlPlane", () -> on.isTrue(ControlPlaneNode.class, CP, "KubernetesInstalled"));
    milestone("hostPrepWorker", () -> on.isTrue(WorkerNode.class, WORKER, "KubernetesInstalled"));
    milestone("init", () -> on.isTrue(ControlPlaneNode.class, CP, "KubeadmInitialized"));
    milestone("join", () -> on.isTrue(WorkerNode.class, WORKER, "Joined"));
    milestone("cniReady", () -> on.isTrue(Cluster.class, CLUSTER, "CNIReady"));
    milestone("nodesReady", () -> on.isTrue(WorkerNode.class, WORKER, "NodeReady") && on.isTrue(ControlPlaneNode.class, CP,
        "NodeReady"));
    milestone("clusterReady", () -> on.isTrue(Cluster.class, CLUSTER, "Ready"));
    Cluster ready = on.get(Cluster.class, CLUSTER);
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getPhase()).isEqualTo("Provisioned");
    for (String type : List.of("ControlPlaneInitialized", "ControlPlaneAvailable", "WorkersAvailable", "CNIReady",
        "CertificatesAvailable")) {
      assertThat(on.condition(Cluster.class, CLUSTER, type).getStatus()).as(type).isEqualTo("True");
    }
    // the worker's host key was learnt on first use and recorded; the control plane's was pinned
    assertThat(on.get(WorkerNode.class, WORKER).getStatus().getHostKeyFingerprint())
        .isEqualTo(dev.cairn.ssh.SshKeys.fingerprint(lab.get("W_HOST_KEY")));

    try (KubernetesClient workload = workloadClient()) {
      String cpNode = on.get(ControlPlaneNode.class, CP).getStatus().getNodeName();
      String workerNode = on.get(WorkerNode.class, WORKER).getStatus().getNodeName();
      List<Node> nodes = workload.nodes().list().getItems();
      assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder(cpNode, workerNode);
      assertThat(nodes).allSatisfy(n -> assertThat(n.getStatus().getConditions())
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
      // the seed's warning: every Node is known by its host-only address, never the NAT one
      for (var entry : Map.of(cpNode, lab.get("CP_IP"), workerNode, lab.get("W_IP")).entrySet()) {
        assertThat(workload.nodes().withName(entry.getKey()).get().getStatus().getAddresses())
            .filteredOn(a -> "InternalIP".equals(a.getType())).extracting(a -> a.getAddress())
            .as(entry.getKey()).containsExactly(entry.getValue());
      }
      // not schedulable: the control plane keeps its taint
      assertThat(workload.nodes().withName(cpNode).get().getSpec().getTaints())
          .anyMatch(t -> "node-role.kubernetes.io/control-plane".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
      List<Pod> dns = workload.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").list().getItems();
      assertThat(dns).isNotEmpty().allMatch(p -> "Running".equals(p.getStatus().getPhase()));
      assertThat(dns).allSatisfy(p -> assertThat(inSubnet(p.getStatus().getPodIP(), POD_SUBNET)).as(p.getStatus().getPodIP()).isTrue());
      calicoRuns(workload, cpNode, workerNode);
      nothingForTheClusterOnTheNatAddress(workload);
      // every image came from the local registry
      assertThat(workload.pods().inAnyNamespace().list().getItems()).flatExtracting(p -> p.getSpec().getContainers())
          .allSatisfy(c -> assertThat(c.getImage()).startsWith(lab.get("IMAGE_REPO") + "/"));

      long workloadStart = System.nanoTime();
      String answer = serveAcrossNodes(workload, workerNode, cpNode);
      phases.put("workload", seconds(workloadStart));
      assertThat(answer).contains("200 OK").contains("hello from echo-");
      // pod to pod across the nodes, without the Service: the control plane's pod asks the
      // worker's by its pod IP (Calico's routes between the nodes)
      Pod echo = workload.pods().inNamespace("default").withLabel("app", "echo").list().getItems().get(0);
      assertThat(inSubnet(echo.getStatus().getPodIP(), POD_SUBNET)).as(echo.getStatus().getPodIP()).isTrue();
      String direct = ask(workload, cpNode, "echo-direct", "http://" + echo.getStatus().getPodIP() + ":8080/");
      assertThat(direct).contains("200 OK").contains("hello from echo-");
      String serviceIp = workload.services().inNamespace("default").withName("echo").get().getSpec().getClusterIP();
      assertThat(inSubnet(serviceIp, SERVICE_SUBNET)).as(serviceIp).isTrue();

      Cluster applied = objects.stream().filter(Cluster.class::isInstance).map(Cluster.class::cast).findFirst()
          .orElseThrow();
      renewal(workload, applied);
      upgrade(workload, applied, cpNode, workerNode);

      // the worker goes: drained (its pod evicted, the Node cordoned), removed, the guest reset
      String echoPod = workload.pods().inNamespace("default").withLabel("app", "echo").list().getItems().get(0)
          .getMetadata().getUid();
      AtomicBoolean cordoned = new AtomicBoolean();
      long deleteStart = System.nanoTime();
      client.resources(WorkerNode.class).inNamespace(namespace).withName(WORKER).delete();
      await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        Node n = workload.nodes().withName(workerNode).get();
        if (n != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
          cordoned.set(true);
        }
        return n == null && on.get(WorkerNode.class, WORKER) == null;
      });
      phases.put("deleteWorker", seconds(deleteStart));
      assertThat(cordoned).as("the Node was cordoned before it went").isTrue();
      assertThat(workload.pods().inNamespace("default").withLabel("app", "echo").list().getItems())
          .noneMatch(p -> echoPod.equals(p.getMetadata().getUid()));
      ExecResult reset = ssh(lab.get("W_IP"), lab.get("W_HOST_KEY"),
          "ls /etc/kubernetes/kubelet.conf /etc/cairn/member 2>&1; systemctl is-active kubelet || true");
      assertThat(reset.stdout()).contains("No such file").doesNotContain("\nactive");
    }

    // the Cluster goes: its control plane is reset, and nothing of it stays in the management cluster
    long clusterDeleteStart = System.nanoTime();
    client.resources(Cluster.class).inNamespace(namespace).withName(CLUSTER).delete();
    await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2)).until(() ->
        client.resources(Cluster.class).inNamespace(namespace).list().getItems().isEmpty()
            && client.resources(ControlPlaneNode.class).inNamespace(namespace).list().getItems().isEmpty()
            && client.resources(WorkerNode.class).inNamespace(namespace).list().getItems().isEmpty()
            // the user's SSH key Secret (demo-ssh in the example) is theirs and stays; Cairn's go
            && client.secrets().inNamespace(namespace).list().getItems().stream()
                .noneMatch(s -> s.getMetadata().getName().startsWith(CLUSTER + "-")
                    && !SSH_SECRET.equals(s.getMetadata().getName())));
    phases.put("deleteCluster", seconds(clusterDeleteStart));
    ExecResult cpReset = ssh(lab.get("CP_IP"), lab.get("CP_HOST_KEY"),
        "ls /etc/kubernetes/admin.conf /etc/kubernetes/manifests/kube-apiserver.yaml /var/lib/etcd/member 2>&1 || true");
    assertThat(cpReset.stdout()).doesNotContain("admin.conf\n").contains("No such file");
    assertThat(client.secrets().inNamespace(namespace).list().getItems()).extracting(s -> s.getMetadata().getName())
        .containsExactly(SSH_SECRET);
  }

  /**
   * The version rollout: the Cluster applied again with the next minor, as a commit to Git would,
   * watched from the workload cluster while it runs (no kubelet newer than the API server, the
   * control plane before the worker), then every part checked at the new version and the
   * Service path asked again.
   */
  private static void upgrade(KubernetesClient workload, Cluster cluster, String cpNode, String workerNode) {
    KubernetesVersion from = KubernetesVersion.parse(lab.get("KUBE_PREVIOUS_VERSION"));
    KubernetesVersion target = KubernetesVersion.parse(lab.get("KUBE_VERSION"));
    assertThat(workload.nodes().list().getItems()).allSatisfy(n ->
        assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(from.toString()));
    Map<String, String> cairnNodes = Map.of(cpNode, CP, workerNode, WORKER);
    long start = System.nanoTime();
    try (RolloutWatch watch = new RolloutWatch(workload, target, node -> upgradingTo(cairnNodes.get(node)))) {
      assertThat(cluster.getSpec().getKubernetesVersion()).isEqualTo(from.toString());
      cluster.getSpec().setKubernetesVersion(target.toString());
      applyAsGit(cluster);
      long generation = on.get(Cluster.class, CLUSTER).getMetadata().getGeneration();
      // what `kubectl wait --for=condition=Ready` after the commit waits for: Ready at the new generation
      await("rollout").atMost(LONG).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
        Cluster c = on.get(Cluster.class, CLUSTER);
        return c.getStatus().getObservedGeneration() == generation && on.isTrue(Cluster.class, CLUSTER, "Ready");
      });
      phases.put("upgrade", seconds(start));
      watch.finish();
      summary.put("rollout", watch.summary());
      System.out.printf("e2e: upgrade %s -> %s in %d s: %s%n", from, target, seconds(start), watch.summary());
      Cluster done = on.get(Cluster.class, CLUSTER);
      assertThat(done.getStatus().getKubernetesVersion()).isEqualTo(target.toString());
      assertThat(on.condition(Cluster.class, CLUSTER, "UpToDate").getStatus()).isEqualTo("True");
      assertThat(watch.violations()).as("rules broken during the rollout").isEmpty();
      Map<String, Map<String, Long>> timeline = watch.timeline();
      assertThat(timeline.get(cpNode)).containsKeys("started", "kubeletAtTarget", "readyAtTarget");
      assertThat(timeline.get(workerNode)).containsKeys("started", "cordoned", "kubeletAtTarget", "readyAtTarget");
      assertThat(timeline.get(cpNode).get("readyAtTarget")).as("the control plane was done before the worker began")
          .isLessThanOrEqualTo(timeline.get(workerNode).get("kubeletAtTarget"));
    }
    for (var kind : List.of(ControlPlaneNode.class, WorkerNode.class)) {
      String name = kind == ControlPlaneNode.class ? CP : WORKER;
      HostNode n = on.get(kind, name);
      assertThat(n.getStatus().getKubernetesVersion()).as(name).isEqualTo(target.toString());
      assertThat(n.getStatus().getUpgradingTo()).as(name).isNullOrEmpty();
      assertThat(on.condition(kind, name, "UpToDate").getStatus()).as(name).isEqualTo("True");
    }
    assertThat(workload.nodes().list().getItems()).allSatisfy(n -> {
      assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo(target.toString());
      assertThat(n.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    });
    // the control plane's static Pods, etcd, CoreDNS and kube-proxy at the new release's images
    String repo = lab.get("IMAGE_REPO");
    Map<String, String> want = new LinkedHashMap<>();
    for (String component : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler")) {
      want.put(component, repo + "/" + component + ":" + target);
    }
    want.put("etcd", repo + "/etcd:" + lab.get("ETCD_IMAGE_TAG"));
    await("static pods at " + target).atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(5))
        .ignoreExceptions().untilAsserted(() -> want.forEach((component, image) -> {
          List<Pod> pods = workload.pods().inNamespace("kube-system").withLabel("component", component).list().getItems();
          assertThat(pods).as(component).hasSize(1).allSatisfy(p -> {
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(image);
            assertThat(p.getStatus().getContainerStatuses()).allMatch(c -> Boolean.TRUE.equals(c.getReady()));
          });
        }));
    await("CoreDNS and kube-proxy at " + target).atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5))
        .ignoreExceptions().untilAsserted(() -> {
          assertThat(workload.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-dns").list().getItems())
              .isNotEmpty().allSatisfy(p -> {
                assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(repo + "/coredns:" + lab.get("COREDNS_IMAGE_TAG"));
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              });
          assertThat(workload.pods().inNamespace("kube-system").withLabel("k8s-app", "kube-proxy").list().getItems())
              .hasSize(2).allSatisfy(p -> {
                assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(repo + "/kube-proxy:" + target);
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              });
        });
    // the workload came back on the worker after its drain, and the Service path still answers
    long again = System.nanoTime();
    String answer = askThroughService(workload, cpNode, "echo-client-upgraded");
    phases.put("workloadAfterUpgrade", seconds(again));
    assertThat(answer).contains("200 OK").contains("hello from echo-");
  }

  /**
   * The cluster runs with two-hour certificates renewed 30 minutes before they expire. Raising
   * renewBefore to 1h55m (an operator's "renew now", applied as Git would) makes them due five
   * minutes after init (at once, a little later in the test): waits for the renewal, checks the host's expiry moved forward, the API server serves the new
   * certificate, and the Cluster is Ready; then puts renewBefore back.
   */
  private static void renewal(KubernetesClient workload, Cluster cluster) throws Exception {
    String issued = on.get(ControlPlaneNode.class, CP).getStatus().getCertificatesExpireAt();
    assertThat(issued).as("the control plane's first certificate expiry, from its host").isNotBlank();
    java.time.Instant servedBefore = servedCertificateExpiry();
    long start = System.nanoTime();
    cluster.getSpec().setCertificates(new dev.cairn.api.v1alpha1.CertificatesSpec("1h55m", "2h"));
    applyAsGit(cluster);
    await("certificate renewal").atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
        .until(() -> {
          String now = on.get(ControlPlaneNode.class, CP).getStatus().getCertificatesExpireAt();
          return java.time.Instant.parse(now).isAfter(java.time.Instant.parse(issued));
        });
    cluster.getSpec().setCertificates(new dev.cairn.api.v1alpha1.CertificatesSpec("30m", "2h"));
    applyAsGit(cluster);
    // Ready as the Cluster says it after this change (its observedGeneration), not a Ready from before
    long generation = on.get(Cluster.class, CLUSTER).getMetadata().getGeneration();
    await("Ready after the renewal").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions().until(() -> on.get(Cluster.class, CLUSTER).getStatus().getObservedGeneration() == generation
            && on.isTrue(Cluster.class, CLUSTER, "Ready"));
    phases.put("certificateRenewal", seconds(start));
    String renewed = on.get(ControlPlaneNode.class, CP).getStatus().getCertificatesExpireAt();
    java.time.Instant servedAfter = servedCertificateExpiry();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("firstExpiryBefore", issued);
    r.put("firstExpiryAfter", renewed);
    r.put("apiServerCertificateNotAfterBefore", servedBefore.toString());
    r.put("apiServerCertificateNotAfterAfter", servedAfter.toString());
    // the Cluster's roll-up follows the node's status a moment later
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(on.get(Cluster.class, CLUSTER).getStatus().getCertificatesExpireAt()).isEqualTo(renewed));
    r.put("clusterCertificatesExpireAt", on.get(Cluster.class, CLUSTER).getStatus().getCertificatesExpireAt());
    summary.put("certificateRenewal", r);
    System.out.println("e2e: certificates renewed: " + r);
    assertThat(servedAfter).as("the API server serves its renewed certificate").isAfter(servedBefore);
    assertThat(client.v1().events().inNamespace(namespace).list().getItems())
        .anyMatch(e -> "CertificatesRenewed".equals(e.getReason()) && CP.equals(e.getInvolvedObject().getName()));
    assertThat(workload.nodes().list().getItems()).isNotEmpty();
  }

  /** notAfter of the certificate the control plane's API server presents, read over TLS from here. */
  private static java.time.Instant servedCertificateExpiry() throws Exception {
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      @Override
      public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

      @Override
      public java.security.cert.X509Certificate[] getAcceptedIssuers() {
        return new java.security.cert.X509Certificate[0];
      }
    }}, null);
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new java.net.InetSocketAddress(lab.get("CP_IP"), 6443), 20_000);
      socket.setSoTimeout(20_000);
      socket.startHandshake();
      return ((java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]).getNotAfter().toInstant();
    }
  }

  private static String upgradingTo(String cairnNode) {
    HostNode n = CP.equals(cairnNode) ? on.get(ControlPlaneNode.class, CP) : on.get(WorkerNode.class, WORKER);
    return n == null || n.getStatus() == null || n.getStatus().getUpgradingTo() == null ? "" : n.getStatus().getUpgradingTo();
  }

  private static void applyAsGit(HasMetadata o) {
    client.resource(o).inNamespace(namespace).fieldManager("git").forceConflicts().serverSideApply();
  }

  /**
   * examples/seed-cluster.yaml with this lab's addresses, node subnet, mirror, registry and host
   * key, tuned for TCG; its networks and CNI are the example's.
   */
  private static List<HasMetadata> adaptedExample() throws IOException {
    Path example = Path.of(System.getProperty("cairn.examples.dir", "../examples"), "seed-cluster.yaml");
    List<HasMetadata> objects = new ArrayList<>();
    try (FileInputStream in = new FileInputStream(example.toFile())) {
      // typed, so the adaptation below cannot miss one: an unknown kind fails here
      for (HasMetadata item : client.load(in).items()) {
        Class<? extends HasMetadata> type = switch (item.getKind()) {
          case "Cluster" -> Cluster.class;
          case "ControlPlaneNode" -> ControlPlaneNode.class;
          case "WorkerNode" -> WorkerNode.class;
          default -> throw new IllegalStateException("unexpected kind in the example: " + item.getKind());
        };
        objects.add(client.getKubernetesSerialization().convertValue(item, type));
      }
    }
    String registryHost = lab.get("IMAGE_REPO").substring(0, lab.get("IMAGE_REPO").indexOf('/'));
    for (HasMetadata o : objects) {
      if (o instanceof Cluster c) {
        var spec = c.getSpec();
        // created at the lab's older release; the test upgrades it to the newer one
        spec.setKubernetesVersion(lab.get("KUBE_PREVIOUS_VERSION"));
        // two-hour certificates, renewed 30 minutes before they expire (the test moves that, below)
        spec.setCertificates(new dev.cairn.api.v1alpha1.CertificatesSpec("30m", "2h"));
        // what the lab must differ in: its air gap (mirror, registry) and its host-only network
        spec.getPackages().setSource(dev.cairn.api.v1alpha1.PackagesSpec.Source.MIRROR);
        spec.getPackages().setMirror(lab.get("REPO_URL"));
        spec.setImageRepository(lab.get("IMAGE_REPO"));
        spec.setRegistries(List.of(new RegistrySpec(registryHost, true, null)));
        spec.getNetwork().setNodeSubnet(lab.get("NODE_SUBNET"));
        // what it must not: the seed's networks and Calico, as the user reads them
        assertThat(spec.getNetwork().getPodSubnet()).isEqualTo(POD_SUBNET);
        assertThat(spec.getNetwork().getServiceSubnet()).isEqualTo(SERVICE_SUBNET);
        assertThat(spec.getNetwork().getCni().getPlugin()).isEqualTo(dev.cairn.api.v1alpha1.CniSpec.Plugin.CALICO);
        // TCG is 5-10x slower than native and the two guests share two cores; GOGC=400 trades
        // some of the control plane's 3 GB for less garbage-collection CPU
        spec.setKubeadmTimeouts(new KubeadmTimeouts("40m", "20m", "10m", "10m", "20m", "20m", "20m"));
        spec.getControlPlane().setExtraArgs(new ControlPlaneArgs(null, Map.of("leader-elect", "false"),
            Map.of("leader-elect", "false"), Map.of("heartbeat-interval", "500", "election-timeout", "5000")));
        List<KubeadmPatch> patches = new ArrayList<>();
        for (KubeadmPatch.Target target : KubeadmPatch.Target.values()) {
          // kubeadm asks etcd, the API server and the scheduler for readiness every second, each
          // time over a new connection (TLS for the last two): 10 s is plenty for a test; the
          // controller-manager has no readiness probe, and a patch must not invent one
          String readiness = target == KubeadmPatch.Target.KUBE_CONTROLLER_MANAGER ? ""
              : "    readinessProbe:\n      periodSeconds: 10\n      timeoutSeconds: 30\n";
          patches.add(new KubeadmPatch(target, KubeadmPatch.Type.STRATEGIC, """
              spec:
                containers:
                - name: %s
                  livenessProbe:
                    timeoutSeconds: 30
                    periodSeconds: 20
                    failureThreshold: 60
                  startupProbe:
                    timeoutSeconds: 30
                    failureThreshold: 120
              %s    env:
                  - name: GOGC
                    value: "400"
              """.formatted(target.value(), readiness)));
        }
        spec.getControlPlane().setPatches(patches);
        // Calico's own probes exec its 100 MB binary every 10 s and give it 10 s (liveness: dead
        // after 6 misses from 10 s on); under TCG, beside a starting control plane, one exec took
        // 6-12 s and the execs (kubelet, containerd, the binary) kept the control plane at a load
        // of 23 during the renewal: probed less often and given longer. The shipped manifest is
        // patched, not edited
        // (upstream's calico-kube-controllers readiness probe has no timeoutSeconds: added, not replaced)
        // Felix's periodic full resyncs (iptables, routes, interfaces) and the Go runtimes of
        // calico-node's six daemons made it the busiest thing on the control plane after the
        // kubelet while the upgraded API server started; fewer resyncs, GC less often, one
        // thread each; and no usage report (the lab has no way out, nor should it try)
        spec.getNetwork().getCni().setPatches(List.of(
            new CniPatch("DaemonSet", "calico-node", "kube-system", calmProbes("replace") + """
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: FELIX_USAGEREPORTINGENABLED, value: "false"}}
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: FELIX_IPTABLESREFRESHINTERVAL, value: "600"}}
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: FELIX_ROUTEREFRESHINTERVAL, value: "600"}}
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: FELIX_INTERFACEREFRESHINTERVAL, value: "600"}}
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: GOGC, value: "400"}}
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: GOMAXPROCS, value: "1"}}
                """),
            new CniPatch("Deployment", "calico-kube-controllers", "kube-system", calmProbes("add") + """
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: GOGC, value: "400"}}
                - {op: add, path: /spec/template/spec/containers/0/env/-, value: {name: GOMAXPROCS, value: "1"}}
                """)));
      } else if (o instanceof HostNode n) {
        boolean cp = n instanceof ControlPlaneNode;
        n.getSpec().getHost().setAddress(lab.get(cp ? "CP_IP" : "W_IP"));
        // the control plane's key pinned as the example does; the worker's learnt on first use
        n.getSpec().getHost().setHostKey(cp ? lab.get("CP_HOST_KEY") : null);
      }
    }
    assertThat(objects).hasSize(3);
    // the network rule: the operator may only reach the lab's own guests
    assertThat(objects).filteredOn(HostNode.class::isInstance).extracting(o -> ((HostNode) o).getSpec().getHost().getAddress())
        .containsExactlyInAnyOrder(lab.get("CP_IP"), lab.get("W_IP"));
    return objects;
  }

  /**
   * JSON patch operations for a Calico workload's probes, its first container's: liveness every
   * 120 s with 60 s to answer and 15 misses allowed, readiness every 60 s with 60 s to answer
   * ({@code readinessTimeoutOp}: {@code add} where upstream sets no timeout).
   */
  private static String calmProbes(String readinessTimeoutOp) {
    return """
        - {op: replace, path: /spec/template/spec/containers/0/livenessProbe/periodSeconds, value: 120}
        - {op: replace, path: /spec/template/spec/containers/0/livenessProbe/timeoutSeconds, value: 60}
        - {op: replace, path: /spec/template/spec/containers/0/livenessProbe/failureThreshold, value: 15}
        - {op: replace, path: /spec/template/spec/containers/0/readinessProbe/periodSeconds, value: 60}
        - {op: %s, path: /spec/template/spec/containers/0/readinessProbe/timeoutSeconds, value: 60}
        """.formatted(readinessTimeoutOp);
  }

  /**
   * A Deployment on the worker behind a ClusterIP Service, asked by a pod on the control plane
   * through the Service's DNS name: node, pod and service networks, kube-proxy and CoreDNS.
   */
  private static String serveAcrossNodes(KubernetesClient workload, String workerNode, String cpNode) {
    String image = lab.get("IMAGE_REPO") + "/echo:test";
    workload.resource(workload.getKubernetesSerialization().unmarshal("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: echo, namespace: default}
        spec:
          replicas: 1
          selector: {matchLabels: {app: echo}}
          template:
            metadata: {labels: {app: echo}}
            spec:
              nodeSelector: {kubernetes.io/hostname: %s}
              tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
              containers:
              - name: echo
                image: %s
                args: [serve, ":8080"]
                ports: [{containerPort: 8080}]
                readinessProbe: {httpGet: {path: /, port: 8080}}
        """.formatted(workerNode, image), io.fabric8.kubernetes.api.model.apps.Deployment.class)).create();
    workload.resource(workload.getKubernetesSerialization().unmarshal("""
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          selector: {app: echo}
          ports: [{port: 80, targetPort: 8080}]
        """, io.fabric8.kubernetes.api.model.Service.class)).create();
    await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
      var d = workload.apps().deployments().inNamespace("default").withName("echo").get();
      return d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas());
    });
    Pod echo = workload.pods().inNamespace("default").withLabel("app", "echo").list().getItems().get(0);
    assertThat(echo.getSpec().getNodeName()).isEqualTo(workerNode);
    return askThroughService(workload, cpNode, "echo-client");
  }

  /**
   * Upstream Calico, as the seed runs it: calico-node Ready on both nodes (its readiness needs
   * Felix programmed and BIRD's BGP session to the other node up), calico-kube-controllers Ready,
   * the IP pool holding the seed's pod subnet, each node's BGP address its host-only one, and the
   * routes to the other node's pods learnt over BGP through that address.
   */
  private static void calicoRuns(KubernetesClient workload, String cpNode, String workerNode) {
    long start = System.nanoTime();
    await("calico").atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions()
        .untilAsserted(() -> {
          List<Pod> nodes = workload.pods().inNamespace("kube-system").withLabel("k8s-app", "calico-node").list().getItems();
          assertThat(nodes).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder(cpNode, workerNode);
          assertThat(nodes).allSatisfy(ClusterE2EIT::assertReady);
          List<Pod> controllers = workload.pods().inNamespace("kube-system").withLabel("k8s-app", "calico-kube-controllers")
              .list().getItems();
          assertThat(controllers).hasSize(1).allSatisfy(ClusterE2EIT::assertReady);
        });
    phases.put("calicoReadyAfterCluster", seconds(start));
    var ipPools = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
        .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPPool").withPlural("ippools")
        .withNamespaced(false).build();
    var pools = workload.genericKubernetesResources(ipPools).list().getItems();
    assertThat(pools).extracting(p -> String.valueOf(((Map<?, ?>) p.getAdditionalProperties().get("spec")).get("cidr")))
        .containsExactly(POD_SUBNET);
    Map<String, String> hostOnly = Map.of(cpNode, lab.get("CP_IP"), workerNode, lab.get("W_IP"));
    // with the Kubernetes datastore, Calico keeps a node's BGP address on the Node itself
    for (Node node : workload.nodes().list().getItems()) {
      assertThat(node.getMetadata().getAnnotations()).as("Calico's address of " + node.getMetadata().getName())
          .containsEntry("projectcalico.org/IPv4Address", hostOnly.get(node.getMetadata().getName()) + "/24");
    }
    // BIRD's routes to the other node's pod block go through the other node's host-only address
    for (String[] pair : List.of(new String[] {"CP", "W"}, new String[] {"W", "CP"})) {
      await("BIRD routes on " + pair[0]).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(5))
          .ignoreExceptions().untilAsserted(() -> {
            String routes = sshTo(pair[0], "ip -4 route show proto bird").stdout();
            summary.put("birdRoutes" + pair[0], routes.strip());
            assertThat(routes).contains("via " + lab.get(pair[1] + "_IP"));
          });
    }
  }

  /**
   * The seed's warning, checked: the API server advertises the host-only address (the
   * {@code kubernetes} Service's endpoint), and no socket on either guest is bound to the NAT
   * address; BGP listens on the node's own address. Wildcard listeners are recorded (they answer on
   * every address of the host; the NAT one has no way in).
   */
  private static void nothingForTheClusterOnTheNatAddress(KubernetesClient workload) throws Exception {
    var slices = workload.discovery().v1().endpointSlices().inNamespace("default")
        .withLabel("kubernetes.io/service-name", "kubernetes").list().getItems();
    assertThat(slices).flatExtracting(e -> e.getEndpoints()).flatExtracting(e -> e.getAddresses())
        .containsExactly(lab.get("CP_IP"));
    String nat = lab.get("NAT_IP");
    Map<String, Object> wildcard = new LinkedHashMap<>();
    for (String guest : List.of("CP", "W")) {
      // the guest's first NIC really is the NAT one, with the default route
      assertThat(sshTo(guest, "ip -4 -o addr show dev eth0; ip -4 route show default").stdout())
          .contains(nat + "/").contains("default via");
      List<String> listening = sshTo(guest, "ss -Hltnup").stdout().lines().toList();
      // the one socket on the NAT address is the host's own DHCP client of that NIC (UDP 68)
      assertThat(listening).as("sockets on " + guest).isNotEmpty()
          .filteredOn(l -> l.matches("\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+" + java.util.regex.Pattern.quote(nat) + "[%:].*"))
          .allMatch(l -> l.startsWith("udp") && l.contains(":68 ") && l.contains("systemd-network"));
      assertThat(listening)
          .filteredOn(l -> l.matches(".*[\\s:]179\\s.*")).isNotEmpty()
          .allMatch(l -> l.contains(" " + lab.get(guest + "_IP") + ":179 "));
      wildcard.put(guest, listening.stream().filter(l -> l.matches("\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+(0\\.0\\.0\\.0|\\*|\\[::\\]):.*"))
          .map(l -> l.replaceAll("\\s+", " ")).toList());
    }
    summary.put("wildcardListeners", wildcard);
  }

  private static void assertReady(Pod p) {
    assertThat(p.getStatus().getConditions()).as(p.getMetadata().getName())
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether an IPv4 address lies in a CIDR. */
  static boolean inSubnet(String address, String cidr) {
    int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    return (ipv4(address) & mask) == (ipv4(cidr.substring(0, cidr.indexOf('/'))) & mask);
  }

  private static long ipv4(String address) {
    long value = 0;
    for (String part : address.split("\\.")) {
      value = (value << 8) | Integer.parseInt(part);
    }
    return value;
  }

  private static ExecResult sshTo(String guest, String command) throws SshException {
    return ssh(lab.get(guest + "_IP"), lab.get(guest + "_HOST_KEY"), command);
  }

  /** A pod on the control plane asks the echo Service by its DNS name; its log is the answer. */
  private static String askThroughService(KubernetesClient workload, String cpNode, String name) {
    return ask(workload, cpNode, name, "http://echo.default.svc.cluster.local/");
  }

  /** A pod on the given node asks the URL (60 s of retries); its log is the answer. */
  private static String ask(KubernetesClient workload, String node, String name, String url) {
    String image = lab.get("IMAGE_REPO") + "/echo:test";
    workload.resource(workload.getKubernetesSerialization().unmarshal("""
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          nodeName: %s
          restartPolicy: Never
          tolerations: [{operator: Exists}]
          containers:
          - name: client
            image: %s
            args: [get, "%s", "60"]
        """.formatted(name, node, image, url), Pod.class)).create();
    try {
      await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
        String phase = workload.pods().inNamespace("default").withName(name).get().getStatus().getPhase();
        assertThat(phase).as("client pod: " + workload.pods().inNamespace("default").withName(name).getLog())
            .isNotEqualTo("Failed");
        return "Succeeded".equals(phase);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the client pod " + name + " on " + node + " did not finish asking " + url + ": "
          + whyNot(workload, name), e);
    }
    return workload.pods().inNamespace("default").withName(name).getLog();
  }

  /** What a user would look at when a pod does not finish: its status, its events, its log. */
  private static String whyNot(KubernetesClient workload, String name) {
    StringBuilder why = new StringBuilder();
    try {
      Pod p = workload.pods().inNamespace("default").withName(name).get();
      why.append("status ").append(p == null ? "gone" : workload.getKubernetesSerialization().asYaml(p.getStatus()));
      workload.v1().events().inNamespace("default").withField("involvedObject.name", name).list().getItems()
          .forEach(ev -> why.append("\nevent ").append(ev.getReason()).append(": ").append(ev.getMessage()));
      why.append("\nlog: ").append(workload.pods().inNamespace("default").withName(name).getLog());
    } catch (RuntimeException e) {
      why.append("\n(could not read more: ").append(e.getMessage()).append(')');
    }
    return why.toString();
  }

  private static KubernetesClient workloadClient() {
    Secret secret = client.secrets().inNamespace(namespace).withName(CLUSTER + "-kubeconfig").get();
    String kubeconfig = new String(Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8);
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  private static void milestone(String name, Supplier<Boolean> reached) {
    await(name).atMost(LONG).pollInterval(Duration.ofSeconds(3)).ignoreExceptions().until(reached::get);
    phases.put(name, seconds(t0));
    System.out.printf("e2e: %s after %d s%n", name, seconds(t0));
  }

  private static ExecResult ssh(String address, String hostKey, String command) throws SshException {
    try (SshSession s = SshSession.open(new SshTarget(address, 22, "root"), new SshCredentials(Testbed.privateKey(), null),
        HostKeyPolicy.pinned(hostKey), Duration.ofSeconds(20))) {
      return s.exec(command, Duration.ofMinutes(2));
    }
  }

  private static long seconds(long since) {
    return Duration.ofNanos(System.nanoTime() - since).toSeconds();
  }

  /** KEY=value lines of e2e-lab.sh; the rest of its output is shown. */
  static Map<String, String> parse(String output) {
    System.out.print(output);
    Map<String, String> values = new LinkedHashMap<>();
    output.lines().filter(l -> l.matches("^[A-Z_]+=.*")).forEach(l -> values.put(l.substring(0, l.indexOf('=')),
        l.substring(l.indexOf('=') + 1)));
    for (String key : List.of("CP_IP", "W_IP", "REPO_URL", "IMAGE_REPO", "CP_HOST_KEY", "W_HOST_KEY", "NAT_IP",
        "KUBE_PREVIOUS_VERSION", "KUBE_VERSION", "ETCD_IMAGE_TAG", "COREDNS_IMAGE_TAG")) {
      assertThat(values).as("e2e-lab.sh up printed " + key).containsKey(key);
    }
    values.putIfAbsent("NODE_SUBNET", values.get("CP_IP").replaceAll("\\.\\d+$", ".0/24"));
    summary.put("versions", versions(values));
    return values;
  }

  private static Map<String, String> versions(Map<String, String> lab) {
    Map<String, String> v = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Testbed.SCRIPTS.resolveSibling("scripts").resolve("versions.env"))) {
        var m = java.util.regex.Pattern.compile("^([A-Z_]+VERSION)=\\$\\{[A-Z_]+:-([^}]*)\\}").matcher(line);
        if (m.find()) {
          v.put(m.group(1), m.group(2));
        }
      }
    } catch (IOException e) {
      v.put("error", e.getMessage());
    }
    for (String key : List.of("IMAGE_REPO", "ETCD_IMAGE_TAG", "COREDNS_IMAGE_TAG")) {
      Optional.ofNullable(lab.get(key)).ifPresent(r -> v.put(key, r));
    }
    return v;
  }
}
