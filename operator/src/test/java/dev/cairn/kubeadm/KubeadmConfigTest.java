package dev.cairn.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ControlPlaneArgs;
import dev.cairn.api.v1alpha1.KubeadmPatch;
import dev.cairn.api.v1alpha1.KubeadmTimeouts;
import dev.cairn.common.KubernetesVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kubeadm configs per supported API version as golden files (refresh with
 * {@code -Dcairn.golden.update=true}); {@code KubeadmConfigValidateIT} has kubeadm itself check them.
 */
class KubeadmConfigTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/kubeadm");
  static final String TOKEN = "abcdef.0123456789abcdef";

  static final KubeadmTuning D = KubeadmTuning.DEFAULTS;

  /** What a slow (emulated) site sets: the end-to-end test's Cluster. */
  static KubeadmTuning tuned() {
    ClusterSpec spec = new ClusterSpec();
    spec.getControlPlane().setExtraArgs(new ControlPlaneArgs(Map.of("audit-log-maxage", "7"),
        Map.of("leader-elect", "false"), Map.of("leader-elect", "false"),
        Map.of("heartbeat-interval", "500", "election-timeout", "5000")));
    spec.getControlPlane().setPatches(List.of(new KubeadmPatch(KubeadmPatch.Target.KUBE_APISERVER, null,
        "spec:\n  containers:\n  - name: kube-apiserver\n    livenessProbe:\n      failureThreshold: 60\n")));
    spec.setKubeadmTimeouts(new KubeadmTimeouts("30m", "15m", "5m", null, "15m", "1h30m"));
    // short-lived certificates, as the end-to-end test runs with
    spec.setCertificates(new dev.cairn.api.v1alpha1.CertificatesSpec("1h40m", "2h"));
    return KubeadmTuning.of(spec);
  }

  static Map<String, KubeadmConfig> cases() {
    return Map.of(
        "v1.30-tuned", new KubeadmConfig("slow", KubernetesVersion.parse("v1.30.6"), "192.168.56.30", "", "20.96.0.0/12", "10.96.0.0/12",
            "", false, TOKEN, Duration.ofMinutes(15), tuned()),
        "v1.37-tuned", new KubeadmConfig("slow", KubernetesVersion.parse("v1.37.2"), "192.168.56.30", "", "20.96.0.0/12", "10.96.0.0/12",
            "", false, TOKEN, Duration.ofMinutes(15), tuned()),
        "v1.30-seed", new KubeadmConfig("demo", KubernetesVersion.parse("v1.30.6"), "192.168.56.30", "", "20.96.0.0/12", "10.96.0.0/12",
            "", false, TOKEN, Duration.ofMinutes(15), D),
        "v1.37-seed", new KubeadmConfig("demo", KubernetesVersion.parse("v1.37.2"), "192.168.56.30", "", "20.96.0.0/12", "10.96.0.0/12",
            "", false, TOKEN, Duration.ofMinutes(15), D),
        "v1.37-ha-airgapped", new KubeadmConfig("ha", KubernetesVersion.parse("v1.37.2"), "192.168.56.11", "k8s.lab.example:6443",
            "10.244.0.0/16", "10.96.0.0/12", "registry.internal.example/k8s", false, TOKEN, Duration.ofMinutes(15), D),
        "v1.37-single-node-ipv6-endpoint", new KubeadmConfig("solo", KubernetesVersion.parse("v1.37.2"), "fd00::40", "[fd00::10]:6443",
            "10.244.0.0/16", "10.96.0.0/12", "", true, TOKEN, Duration.ofMinutes(15), D));
  }

  static final String HASH = "sha256:" + "0123456789abcdef".repeat(4);

  static Map<String, KubeadmJoinConfig> joinCases() {
    return Map.of(
        "join-v1.37-control-plane-tuned", new KubeadmJoinConfig(KubernetesVersion.parse("v1.37.2"), "k8s.lab.example:6443", TOKEN, HASH,
            "192.168.56.12", true, false, tuned()),
        "join-v1.30-worker-tuned", new KubeadmJoinConfig(KubernetesVersion.parse("v1.30.6"), "192.168.56.30:6443", TOKEN, HASH, "192.168.56.31",
            false, false, tuned()),
        "join-v1.30-worker", new KubeadmJoinConfig(KubernetesVersion.parse("v1.30.6"), "192.168.56.30:6443", TOKEN, HASH, "192.168.56.31",
            false, false, D),
        "join-v1.37-worker", new KubeadmJoinConfig(KubernetesVersion.parse("v1.37.2"), "192.168.56.30:6443", TOKEN, HASH, "192.168.56.31",
            false, false, D),
        "join-v1.37-control-plane", new KubeadmJoinConfig(KubernetesVersion.parse("v1.37.2"), "k8s.lab.example:6443", TOKEN, HASH,
            "192.168.56.12", true, false, D),
        "join-v1.37-schedulable-control-plane", new KubeadmJoinConfig(KubernetesVersion.parse("v1.37.2"), "[fd00::10]:6443", TOKEN, HASH,
            "fd00::41", true, true, D));
  }

  static Stream<String> joinNames() {
    return joinCases().keySet().stream().sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("joinNames")
  void joinConfigMatchesGoldenFile(String name) throws Exception {
    String rendered = joinCases().get(name).render();
    Path golden = GOLDEN.resolve(name + ".yaml");
    if (Boolean.getBoolean("cairn.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered);
    }
    assertThat(golden).exists();
    assertThat(rendered).isEqualTo(Files.readString(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("joinNames")
  @SuppressWarnings("unchecked")
  void joinConfigPinsDiscoveryToTheCaAndCarriesTheNode(String name) {
    KubeadmJoinConfig config = joinCases().get(name);
    List<Map<String, Object>> docs = docs(config.render());
    assertThat(docs).extracting(d -> d.get("kind")).containsExactly("JoinConfiguration");
    Map<String, Object> join = docs.get(0);
    Map<String, Object> token = (Map<String, Object>) ((Map<String, Object>) join.get("discovery")).get("bootstrapToken");
    assertThat(token).containsEntry("apiServerEndpoint", config.apiServerEndpoint())
        .containsEntry("caCertHashes", List.of(HASH)).doesNotContainKey("unsafeSkipCAVerification");
    assertThat(join.containsKey("controlPlane")).isEqualTo(config.controlPlane());
    if (config.controlPlane()) {
      assertThat((Map<String, Object>) ((Map<String, Object>) join.get("controlPlane")).get("localAPIEndpoint"))
          .containsEntry("advertiseAddress", config.advertiseAddress());
      Map<String, Object> registration = (Map<String, Object>) join.get("nodeRegistration");
      assertThat(registration.containsKey("taints")).isEqualTo(config.schedulableControlPlane());
    }
    assertThat(config.toString()).doesNotContain(TOKEN);
  }

  static Stream<String> names() {
    return cases().keySet().stream().sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void matchesGoldenFile(String name) throws Exception {
    String rendered = cases().get(name).render();
    Path golden = GOLDEN.resolve(name + ".yaml");
    if (Boolean.getBoolean("cairn.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered);
    }
    assertThat(golden).exists();
    assertThat(rendered).isEqualTo(Files.readString(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void speaksTheApiVersionOfItsMinorAndCarriesTheSpec(String name) {
    KubeadmConfig config = cases().get(name);
    List<Map<String, Object>> docs = docs(config.render());
    assertThat(docs).extracting(d -> d.get("kind"))
        .containsExactly("InitConfiguration", "ClusterConfiguration", "KubeletConfiguration");
    String expectedApi = config.kubernetesVersion().toString().startsWith("v1.30") ? "kubeadm.k8s.io/v1beta3" : "kubeadm.k8s.io/v1beta4";
    assertThat(docs.get(0).get("apiVersion")).isEqualTo(expectedApi);
    assertThat(docs.get(1).get("apiVersion")).isEqualTo(expectedApi);
    assertThat(docs.get(2).get("cgroupDriver")).isEqualTo("systemd");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint = (Map<String, Object>) docs.get(0).get("localAPIEndpoint");
    assertThat(endpoint.get("advertiseAddress")).isEqualTo(config.advertiseAddress());
    @SuppressWarnings("unchecked")
    Map<String, Object> networking = (Map<String, Object>) docs.get(1).get("networking");
    assertThat(networking).containsEntry("podSubnet", config.podSubnet()).containsEntry("serviceSubnet", config.serviceSubnet());
    assertThat(config.toString()).doesNotContain(TOKEN);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSlowSitesTuningReachesKubeadmInTheShapeOfEachApiVersion() {
    List<Map<String, Object>> v4 = docs(cases().get("v1.37-tuned").render());
    assertThat((Map<String, Object>) v4.get(0).get("timeouts")).containsEntry("controlPlaneComponentHealthCheck", "30m0s")
        .containsEntry("kubeletHealthCheck", "15m0s").containsEntry("kubernetesAPICall", "5m0s")
        .doesNotContainKey("discovery");
    assertThat(v4.get(0).get("patches")).isEqualTo(Map.of("directory", "/etc/cairn/patches"));
    Map<String, Object> etcd = (Map<String, Object>) ((Map<String, Object>) v4.get(1).get("etcd")).get("local");
    assertThat((List<Object>) etcd.get("extraArgs")).containsExactly(
        Map.of("name", "election-timeout", "value", "5000"), Map.of("name", "heartbeat-interval", "value", "500"));
    assertThat(((Map<String, Object>) v4.get(1).get("scheduler")).get("extraArgs"))
        .isEqualTo(List.of(Map.of("name", "leader-elect", "value", "false")));

    List<Map<String, Object>> v3 = docs(cases().get("v1.30-tuned").render());
    Map<String, Object> apiServer = (Map<String, Object>) v3.get(1).get("apiServer");
    assertThat(apiServer).containsEntry("timeoutForControlPlane", "30m0s")
        .containsEntry("extraArgs", Map.of("audit-log-maxage", "7"));
    assertThat(((Map<String, Object>) v3.get(1).get("controllerManager")).get("extraArgs"))
        .isEqualTo(Map.of("leader-elect", "false"));

    Map<String, Object> join = docs(joinCases().get("join-v1.37-control-plane-tuned").render()).get(0);
    assertThat((Map<String, Object>) join.get("timeouts")).containsEntry("discovery", "1h30m0s")
        .containsEntry("tlsBootstrap", "15m0s");
    assertThat(join.get("patches")).isEqualTo(Map.of("directory", "/etc/cairn/patches"));
    Map<String, Object> worker = docs(joinCases().get("join-v1.30-worker-tuned").render()).get(0);
    assertThat(((Map<String, Object>) worker.get("discovery")).get("timeout")).isEqualTo("1h30m0s");
    assertThat(worker).doesNotContainKey("patches");
  }

  @Test
  void kubeadmRunsGetTheTimeTheirTimeoutsAllowAndDurationsParseAsTheSchemaAdmits() {
    assertThat(KubeadmTuning.DEFAULTS.runBudget()).isEqualTo(Duration.ofMinutes(34));
    assertThat(tuned().runBudget()).isEqualTo(Duration.ofMinutes(30 + 15 + 90 + 10));
    assertThat(dev.cairn.common.GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(dev.cairn.common.GoDuration.parse("45s")).isEqualTo(Duration.ofSeconds(45));
    assertThat(dev.cairn.common.GoDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(dev.cairn.common.GoDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.cairn.common.GoDuration.parse("10 minutes"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> docs(String yaml) {
    KubernetesSerialization s = new KubernetesSerialization();
    return Stream.of(yaml.split("(?m)^---\\s*$")).map(String::strip).filter(d -> !d.isEmpty())
        .map(d -> (Map<String, Object>) s.unmarshal(d, Map.class)).toList();
  }
}
