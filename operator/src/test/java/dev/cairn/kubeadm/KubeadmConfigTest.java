package dev.cairn.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kubeadm configs per supported API version as golden files (refresh with
 * {@code -Dcairn.golden.update=true}); {@code KubeadmConfigValidateIT} has kubeadm itself check them.
 */
class KubeadmConfigTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/kubeadm");
  static final String TOKEN = "abcdef.0123456789abcdef";

  static Map<String, KubeadmConfig> cases() {
    return Map.of(
        "v1.30-seed", new KubeadmConfig("demo", "v1.30.6", "192.168.56.30", "", "20.96.0.0/12", "10.96.0.0/12",
            "", false, TOKEN, Duration.ofMinutes(15)),
        "v1.34-seed", new KubeadmConfig("demo", "v1.34.4", "192.168.56.30", "", "20.96.0.0/12", "10.96.0.0/12",
            "", false, TOKEN, Duration.ofMinutes(15)),
        "v1.34-ha-airgapped", new KubeadmConfig("ha", "v1.34.4", "192.168.56.11", "k8s.lab.example:6443",
            "10.244.0.0/16", "10.96.0.0/12", "registry.internal.example/k8s", false, TOKEN, Duration.ofMinutes(15)),
        "v1.34-single-node-ipv6-endpoint", new KubeadmConfig("solo", "v1.34.4", "fd00::40", "[fd00::10]:6443",
            "10.244.0.0/16", "10.96.0.0/12", "", true, TOKEN, Duration.ofMinutes(15)));
  }

  static final String HASH = "sha256:" + "0123456789abcdef".repeat(4);

  static Map<String, KubeadmJoinConfig> joinCases() {
    return Map.of(
        "join-v1.30-worker", new KubeadmJoinConfig("v1.30.6", "192.168.56.30:6443", TOKEN, HASH, "192.168.56.31",
            false, false),
        "join-v1.34-worker", new KubeadmJoinConfig("v1.34.4", "192.168.56.30:6443", TOKEN, HASH, "192.168.56.31",
            false, false),
        "join-v1.34-control-plane", new KubeadmJoinConfig("v1.34.4", "k8s.lab.example:6443", TOKEN, HASH,
            "192.168.56.12", true, false),
        "join-v1.34-schedulable-control-plane", new KubeadmJoinConfig("v1.34.4", "[fd00::10]:6443", TOKEN, HASH,
            "fd00::41", true, true));
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
    String expectedApi = config.kubernetesVersion().startsWith("v1.30") ? "kubeadm.k8s.io/v1beta3" : "kubeadm.k8s.io/v1beta4";
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

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> docs(String yaml) {
    KubernetesSerialization s = new KubernetesSerialization();
    return Stream.of(yaml.split("(?m)^---\\s*$")).map(String::strip).filter(d -> !d.isEmpty())
        .map(d -> (Map<String, Object>) s.unmarshal(d, Map.class)).toList();
  }
}
