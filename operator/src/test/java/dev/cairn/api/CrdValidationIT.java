package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.Namespaces;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD schema is Cairn's first line of defence: bad input must be rejected by the API server,
 * with a message naming the field, before any host is touched.
 */
@ExtendWith(ManagementCluster.class)
class CrdValidationIT {
  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void setUp(KubernetesClient kubernetesClient) {
    client = kubernetesClient;
    namespace = Namespaces.create(client, "validation");
  }

  @Test
  void crdsAreEstablishedWithStatusSubresourceAndPrinterColumns() {
    for (String name : List.of("clusters.cairn.dev", "controlplanenodes.cairn.dev", "workernodes.cairn.dev")) {
      var crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(crd).as(name).isNotNull();
      var version = crd.getSpec().getVersions().get(0);
      assertThat(version.getSubresources().getStatus()).as(name + " status subresource").isNotNull();
      var columns = version.getAdditionalPrinterColumns();
      assertThat(columns).extracting(c -> c.getName()).contains("Phase", "Ready", "Reason", "Age");
      // kubectl's convention: AGE last; the Ready reason only on -o wide
      assertThat(columns.get(columns.size() - 1).getName()).as(name + " last column").isEqualTo("Age");
      assertThat(columns).filteredOn(c -> c.getName().equals("Reason")).singleElement()
          .satisfies(c -> assertThat(c.getPriority()).as(name + " Reason priority").isEqualTo(1))
          .satisfies(c -> assertThat(c.getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason"));
      assertThat(columns).filteredOn(c -> !c.getName().equals("Reason"))
          .allSatisfy(c -> assertThat(c.getPriority()).as(name + " " + c.getName() + " priority").isIn(null, 0));
      assertThat(crd.getSpec().getNames().getCategories()).containsExactly("cairn");
      assertThat(crd.getSpec().getNames().getShortNames()).isNotEmpty();
    }
  }

  @Test
  void everyExampleIsAccepted() throws IOException {
    Path dir = Path.of(System.getProperty("cairn.examples.dir", "../examples"));
    List<Path> files;
    // only the files directly in examples/: examples/argocd/ holds Argo CD Applications, which
    // belong to a cluster running Argo CD and are checked by ArgoHealthCheckTest instead
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    String ns = Namespaces.create(client, "examples");
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        List<HasMetadata> objects = client.load(in).items();
        assertThat(objects).as(file.toString()).isNotEmpty();
        for (HasMetadata object : objects) {
          HasMetadata created = client.resource(object).inNamespace(ns).create();
          assertThat(created.getMetadata().getUid()).as(file + ": " + object.getMetadata().getName()).isNotNull();
        }
      }
    }
  }

  @Test
  void defaultsAreFilledInByTheApiServer() {
    GenericKubernetesResource created = create(cluster("defaults", c -> remove(c, "spec.network")));
    Map<String, Object> spec = map(created.getAdditionalProperties().get("spec"));
    Map<String, Object> network = map(spec.get("network"));
    assertThat(network).containsEntry("podSubnet", "10.244.0.0/16").containsEntry("serviceSubnet", "10.96.0.0/12");
    assertThat(map(network.get("cni"))).containsEntry("plugin", "calico");
    assertThat(map(spec.get("packages"))).containsEntry("source", "upstream");
    GenericKubernetesResource node = create(worker("defaults-w", n -> {}));
    Map<String, Object> host = map(map(node.getAdditionalProperties().get("spec")).get("host"));
    assertThat(host).containsEntry("port", 22).containsEntry("user", "root");
  }

  @Test
  void boundaryValuesAreAccepted() {
    create(worker("port-max", n -> set(n, "spec.host.port", 65535)));
    create(worker("ipv6", n -> set(n, "spec.host.address", "fd00::31")));
    create(worker("dns-name", n -> set(n, "spec.host.address", "w1.lab.example")));
    create(worker("sudo-user", n -> set(n, "spec.host.user", "cairn")));
    create(cluster("endpoint-dns", c -> set(c, "spec.controlPlaneEndpoint", "k8s.lab.example:6443")));
    create(cluster("endpoint-port-max", c -> set(c, "spec.controlPlaneEndpoint", "10.1.2.3:65535")));
    create(cluster("adjacent-subnets", c -> {
      set(c, "spec.network.podSubnet", "10.0.0.0/16");
      set(c, "spec.network.serviceSubnet", "10.1.0.0/16");
      set(c, "spec.network.nodeSubnet", "10.2.0.0/24");
    }));
    create(cluster("slow-site", c -> {
      set(c, "spec.registries", List.of(Map.of("host", "10.78.0.1:5000", "plainHTTP", true),
          Map.of("host", "registry.lab", "skipTLSVerify", true)));
      set(c, "spec.kubeadmTimeouts", Map.of("controlPlaneComponentHealthCheck", "1h30m", "discovery", "45s"));
      set(c, "spec.controlPlane.extraArgs", Map.of("etcd", Map.of("election-timeout", "5000"),
          "scheduler", Map.of("leader-elect", "false")));
      set(c, "spec.controlPlane.patches", List.of(Map.of("target", "etcd", "patch", "spec: {}")));
      set(c, "spec.network.cni.patches", List.of(Map.of("kind", "DaemonSet", "name", "kube-flannel-ds",
          "namespace", "kube-flannel", "patch", "- {op: add, path: /metadata/labels/a, value: b}")));
    }));
  }

  static Stream<Arguments> invalidObjects() {
    return Stream.of(
        arguments("no kubernetesVersion", cluster("x", c -> remove(c, "spec.kubernetesVersion")),
            "spec.kubernetesVersion: Required value"),
        arguments("version without v", cluster("x", c -> set(c, "spec.kubernetesVersion", "1.35.4")),
            "spec.kubernetesVersion"),
        arguments("version too old for kubeadm v1beta3", cluster("x", c -> set(c, "spec.kubernetesVersion", "v1.28.3")),
            "spec.kubernetesVersion"),
        arguments("unsupported newer minor", cluster("x", c -> set(c, "spec.kubernetesVersion", "v1.39.0")),
            "spec.kubernetesVersion"),
        arguments("minor older than the supported ones", cluster("x", c -> set(c, "spec.kubernetesVersion", "v1.34.9")),
            "spec.kubernetesVersion"),
        arguments("version with suffix", cluster("x", c -> set(c, "spec.kubernetesVersion", "v1.35.4-rc.1")),
            "spec.kubernetesVersion"),
        arguments("podSubnet prefix out of range", cluster("x", c -> set(c, "spec.network.podSubnet", "20.96.0.0/33")),
            "podSubnet must be a CIDR"),
        arguments("podSubnet not a CIDR", cluster("x", c -> set(c, "spec.network.podSubnet", "pods")),
            "podSubnet must be a CIDR"),
        arguments("podSubnet with host bits", cluster("x", c -> set(c, "spec.network.podSubnet", "20.96.0.1/12")),
            "podSubnet must be a network address"),
        arguments("serviceSubnet not a CIDR", cluster("x", c -> set(c, "spec.network.serviceSubnet", "10.96.0.0")),
            "serviceSubnet must be a CIDR"),
        arguments("pod inside service network", cluster("x", c -> set(c, "spec.network.podSubnet", "10.96.0.0/16")),
            "podSubnet and serviceSubnet must not overlap"),
        arguments("service inside pod network", cluster("x", c -> set(c, "spec.network.podSubnet", "10.0.0.0/8")),
            "podSubnet and serviceSubnet must not overlap"),
        arguments("node network inside pod network", cluster("x", c -> {
          set(c, "spec.network.podSubnet", "20.96.0.0/12");
          set(c, "spec.network.nodeSubnet", "20.96.1.0/24");
        }), "podSubnet must not overlap nodeSubnet"),
        arguments("node network around service network", cluster("x", c -> set(c, "spec.network.nodeSubnet", "10.0.0.0/8")),
            "serviceSubnet must not overlap nodeSubnet"),
        arguments("nodeSubnet not a CIDR", cluster("x", c -> set(c, "spec.network.nodeSubnet", "192.168.56.0/24x")),
            "nodeSubnet must be a CIDR"),
        arguments("unknown CNI", cluster("x", c -> set(c, "spec.network.cni.plugin", "weave")),
            "spec.network.cni.plugin: Unsupported value"),
        arguments("CNI version not semver", cluster("x", c -> set(c, "spec.network.cni.version", "latest")),
            "spec.network.cni.version"),
        arguments("mirror source without mirror", cluster("x", c -> set(c, "spec.packages.source", "mirror")),
            "packages.mirror is required when packages.source is mirror"),
        arguments("unknown package source", cluster("x", c -> set(c, "spec.packages.source", "apt")),
            "spec.packages.source: Unsupported value"),
        arguments("mirror not http(s)", cluster("x", c -> {
          set(c, "spec.packages.source", "mirror");
          set(c, "spec.packages.mirror", "ftp://mirror.example/debian");
        }), "spec.packages.mirror"),
        arguments("endpoint without port", cluster("x", c -> set(c, "spec.controlPlaneEndpoint", "192.168.56.10")),
            "spec.controlPlaneEndpoint"),
        arguments("endpoint port 70000", cluster("x", c -> set(c, "spec.controlPlaneEndpoint", "192.168.56.10:70000")),
            "spec.controlPlaneEndpoint"),
        arguments("endpoint port 0", cluster("x", c -> set(c, "spec.controlPlaneEndpoint", "192.168.56.10:0")),
            "spec.controlPlaneEndpoint"),
        arguments("image repository with shell", cluster("x", c -> set(c, "spec.imageRepository", "reg.example/$(reboot)")),
            "spec.imageRepository"),
        arguments("node without host", worker("x", n -> remove(n, "spec.host")), "spec.host: Required value"),
        arguments("node without address", worker("x", n -> remove(n, "spec.host.address")),
            "spec.host.address: Required value"),
        arguments("node without cluster", worker("x", n -> remove(n, "spec.clusterName")),
            "spec.clusterName: Required value"),
        arguments("port 0", worker("x", n -> set(n, "spec.host.port", 0)), "spec.host.port"),
        arguments("port 70000", worker("x", n -> set(n, "spec.host.port", 70000)), "spec.host.port"),
        arguments("address with command substitution", worker("x", n -> set(n, "spec.host.address", "$(reboot)")),
            "host.address must be an IP address or a lower-case DNS name"),
        arguments("user with shell", worker("x", n -> set(n, "spec.host.user", "root; reboot")), "spec.host.user"),
        arguments("host key not a public key", worker("x", n -> set(n, "spec.host.hostKey", "trust-me")),
            "spec.host.hostKey"),
        arguments("no ssh key secret", worker("x", n -> remove(n, "spec.host.sshKeySecretRef")),
            "spec.host.sshKeySecretRef: Required value"),
        arguments("cluster name not a DNS label", worker("x", n -> set(n, "spec.clusterName", "Demo_Cluster")),
            "spec.clusterName"),
        arguments("advertise address not an IP", controlPlane("x", n -> set(n, "spec.advertiseAddress", "192.168.56.300")),
            "advertiseAddress must be an IP address"),
        arguments("registry host with a path", cluster("x", c -> set(c, "spec.registries",
            List.of(Map.of("host", "reg.example/k8s")))), "spec.registries[0].host"),
        arguments("registry twice", cluster("x", c -> set(c, "spec.registries",
            List.of(Map.of("host", "reg.example"), Map.of("host", "reg.example", "plainHTTP", true)))),
            "each registry host may appear once"),
        arguments("registry both plain HTTP and unverified TLS", cluster("x", c -> set(c, "spec.registries",
            List.of(Map.of("host", "reg.example", "plainHTTP", true, "skipTLSVerify", true)))),
            "plainHTTP and skipTLSVerify exclude each other"),
        arguments("timeout not a duration", cluster("x", c -> set(c, "spec.kubeadmTimeouts",
            Map.of("discovery", "10 minutes"))), "spec.kubeadmTimeouts.discovery"),
        arguments("flag with dashes", cluster("x", c -> set(c, "spec.controlPlane.extraArgs",
            Map.of("apiServer", Map.of("--v", "4")))), "flag names are lower case without leading dashes"),
        arguments("patch for an unknown component", cluster("x", c -> set(c, "spec.controlPlane.patches",
            List.of(Map.of("target", "kube-proxy", "patch", "spec: {}")))),
            "spec.controlPlane.patches[0].target: Unsupported value"),
        arguments("empty patch", cluster("x", c -> set(c, "spec.controlPlane.patches",
            List.of(Map.of("target", "etcd", "patch", "")))), "spec.controlPlane.patches[0].patch"),
        arguments("cni patch without a name", cluster("x", c -> set(c, "spec.network.cni.patches",
            List.of(Map.of("kind", "DaemonSet", "patch", "[]")))), "spec.network.cni.patches[0].name: Required value"),
        arguments("cni patch with a lower-case kind", cluster("x", c -> set(c, "spec.network.cni.patches",
            List.of(Map.of("kind", "daemonset", "name", "kube-flannel-ds", "patch", "[]")))),
            "spec.network.cni.patches[0].kind"),
        arguments("renewBefore as long as the validity", cluster("x", c -> set(c, "spec.certificates",
            Map.of("renewBefore", "2h", "validityPeriod", "2h"))),
            "certificates.renewBefore must be shorter than validityPeriod"),
        arguments("renewBefore beyond kubeadm's year", cluster("x", c -> set(c, "spec.certificates",
            Map.of("renewBefore", "9000h"))), "certificates.renewBefore must be shorter than validityPeriod"),
        arguments("the default renewBefore beyond a short validity", cluster("x", c -> set(c, "spec.certificates",
            Map.of("validityPeriod", "700h"))), "certificates.renewBefore must be shorter than validityPeriod"),
        arguments("unknown taint effect", worker("x", n -> set(n, "spec.taints",
            List.of(Map.of("key", "dedicated", "effect", "Sometimes")))), "spec.taints[0].effect: Unsupported value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidObjects")
  void invalidObjectIsRejectedNamingTheField(String title, GenericKubernetesResource object, String expected) {
    assertThatThrownBy(() -> create(object))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  static Stream<Arguments> immutableChanges() {
    return Stream.of(
        arguments("podSubnet", cluster("imm-pod", c -> {}),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.network.podSubnet", "10.128.0.0/16"),
            "podSubnet is immutable"),
        arguments("serviceSubnet", cluster("imm-svc", c -> {}),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.network.serviceSubnet", "10.112.0.0/12"),
            "serviceSubnet is immutable"),
        arguments("nodeSubnet", cluster("imm-node", c -> set(c, "spec.network.nodeSubnet", "192.168.56.0/24")),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.network.nodeSubnet", "192.168.57.0/24"),
            "nodeSubnet is immutable once set"),
        arguments("nodeSubnet removed", cluster("imm-node-rm", c -> set(c, "spec.network.nodeSubnet", "192.168.56.0/24")),
            (Consumer<GenericKubernetesResource>) c -> remove(c, "spec.network.nodeSubnet"),
            "nodeSubnet is immutable once set"),
        arguments("kubernetesVersion down a minor", cluster("down-minor", c -> set(c, "spec.kubernetesVersion", "v1.36.4")),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.kubernetesVersion", "v1.35.9"),
            "kubernetesVersion cannot go back from v1.36.4 to v1.35.9: kubeadm does not downgrade"),
        arguments("kubernetesVersion down a patch", cluster("down-patch", c -> set(c, "spec.kubernetesVersion", "v1.36.4")),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.kubernetesVersion", "v1.36.3"),
            "kubernetesVersion cannot go back from v1.36.4 to v1.36.3"),
        arguments("kubernetesVersion two minors up", cluster("skip-minor", c -> {}),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.kubernetesVersion", "v1.37.3"),
            "from v1.35.4 to v1.37.3 skips a minor; go to the next minor first"),
        arguments("certificates.validityPeriod", cluster("imm-validity", c -> set(c, "spec.certificates",
            Map.of("renewBefore", "30m", "validityPeriod", "2h"))),
            (Consumer<GenericKubernetesResource>) c -> set(c, "spec.certificates.validityPeriod", "3h"),
            "certificates.validityPeriod is fixed once set"),
        arguments("clusterName", worker("imm-cluster", n -> {}),
            (Consumer<GenericKubernetesResource>) n -> set(n, "spec.clusterName", "other"), "clusterName is immutable"),
        arguments("host address", controlPlane("imm-address", n -> {}),
            (Consumer<GenericKubernetesResource>) n -> set(n, "spec.host.address", "192.168.56.99"),
            "host.address is immutable"));
  }

  @ParameterizedTest(name = "changing {0} is rejected")
  @MethodSource("immutableChanges")
  void immutableFieldCannotChange(String field, GenericKubernetesResource original,
      Consumer<GenericKubernetesResource> change, String expected) {
    GenericKubernetesResource created = create(original);
    change.accept(created);
    assertThatThrownBy(() -> client.resource(created).inNamespace(namespace).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @Test
  void kubernetesVersionMovesUpOneMinorOrAnyPatchesAtATime() {
    GenericKubernetesResource created = create(cluster("upgrade", c -> {}));
    for (String version : List.of("v1.35.9", "v1.36.0", "v1.36.4", "v1.37.3", "v1.37.10")) {
      set(created, "spec.kubernetesVersion", version);
      created = client.resource(created).inNamespace(namespace).update();
    }
    assertThat(created.getMetadata().getGeneration()).isEqualTo(6L);
  }

  @Test
  void theSpecRunsAtMostOneMinorAheadOfEveryMember() {
    GenericKubernetesResource created = create(cluster("ahead", c -> {}));
    set(created, "status.kubernetesVersion", "v1.35.4");
    created = client.resource(created).inNamespace(namespace).updateStatus();
    set(created, "spec.kubernetesVersion", "v1.36.0");
    GenericKubernetesResource rolling = client.resource(created).inNamespace(namespace).update();
    set(rolling, "spec.kubernetesVersion", "v1.36.2");   // a later patch of the same step: fine
    GenericKubernetesResource patched = client.resource(rolling).inNamespace(namespace).update();
    set(patched, "spec.kubernetesVersion", "v1.37.3");
    assertThatThrownBy(() -> client.resource(patched).inNamespace(namespace).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("at most one minor ahead of the version every member runs");
  }

  @Test
  void theEndpointIsFixedOnceTheClusterIsInitialised() {
    GenericKubernetesResource created = create(cluster("endpoint", c -> set(c, "spec.controlPlaneEndpoint",
        "cp.example:6443")));
    set(created, "spec.controlPlaneEndpoint", "cp2.example:6443");
    created = client.resource(created).inNamespace(namespace).update();   // not initialised: still free to change

    set(created, "status.controlPlaneEndpoint", "cp2.example:6443");
    created = client.resource(created).inNamespace(namespace).updateStatus();
    GenericKubernetesResource initialised = created;
    set(initialised, "spec.controlPlaneEndpoint", "cp3.example:6443");
    assertThatThrownBy(() -> client.resource(initialised).inNamespace(namespace).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.controlPlaneEndpoint cannot change once the cluster is initialised");
    remove(initialised, "spec.controlPlaneEndpoint");
    assertThatThrownBy(() -> client.resource(initialised).inNamespace(namespace).update())
        .hasMessageContaining("spec.controlPlaneEndpoint cannot change once the cluster is initialised");
  }

  @Test
  void mutableFieldsCanChange() {
    GenericKubernetesResource created = create(cluster("mutable", c -> {}));
    set(created, "spec.kubernetesVersion", "v1.35.5");
    set(created, "spec.controlPlane.schedulable", true);
    set(created, "spec.network.nodeSubnet", "192.168.56.0/24");
    GenericKubernetesResource updated = client.resource(created).inNamespace(namespace).update();
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
  }

  // --- building objects

  private static GenericKubernetesResource create(GenericKubernetesResource object) {
    return client.resource(object).inNamespace(namespace).create();
  }

  static GenericKubernetesResource cluster(String name, Consumer<GenericKubernetesResource> edit) {
    GenericKubernetesResource c = object("Cluster", name);
    set(c, "spec.kubernetesVersion", "v1.35.4");
    set(c, "spec.network.podSubnet", "20.96.0.0/12");
    set(c, "spec.network.serviceSubnet", "10.96.0.0/12");
    edit.accept(c);
    return c;
  }

  static GenericKubernetesResource worker(String name, Consumer<GenericKubernetesResource> edit) {
    return node("WorkerNode", name, edit);
  }

  static GenericKubernetesResource controlPlane(String name, Consumer<GenericKubernetesResource> edit) {
    return node("ControlPlaneNode", name, edit);
  }

  private static GenericKubernetesResource node(String kind, String name, Consumer<GenericKubernetesResource> edit) {
    GenericKubernetesResource n = object(kind, name);
    set(n, "spec.clusterName", "demo");
    set(n, "spec.host.address", "192.168.56.31");
    set(n, "spec.host.sshKeySecretRef.name", "demo-ssh");
    edit.accept(n);
    return n;
  }

  private static GenericKubernetesResource object(String kind, String name) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("cairn.dev/v1alpha1");
    r.setKind(kind);
    r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    return r;
  }

  static void set(GenericKubernetesResource r, String path, Object value) {
    String[] parts = path.split("\\.");
    Map<String, Object> m = r.getAdditionalProperties();
    for (int i = 0; i < parts.length - 1; i++) {
      m = map(m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>()));
    }
    m.put(parts[parts.length - 1], value);
  }

  static void remove(GenericKubernetesResource r, String path) {
    String[] parts = path.split("\\.");
    Map<String, Object> m = r.getAdditionalProperties();
    for (int i = 0; i < parts.length - 1; i++) {
      m = map(m.get(parts[i]));
    }
    m.remove(parts[parts.length - 1]);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  static List<String> titles() {
    List<String> out = new ArrayList<>();
    invalidObjects().forEach(a -> out.add((String) a.get()[0]));
    return out;
  }
}
