package dev.cairn.bootstrap.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.api.v1alpha1.RegistrySpec;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.common.KubernetesVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** containerd's registry settings: what the spec asks for is what the host must have, no more. */
class ContainerdStepTest {
  static final RegistrySpec PLAIN = new RegistrySpec("10.78.0.1:5000", true, null);
  static final String BASE = "os.id=debian\ncontainerd.version=1.6.20\ncontainerd.systemd_cgroup=true\n"
      + "containerd.sandbox=10.78.0.1:5000/k8s/pause:3.10.1\ncontainerd.enabled=enabled\ncontainerd.active=active\n";
  static final String END = "facts.end=ok\n";

  static NodePlan plan(List<RegistrySpec> registries) {
    return new NodePlan(HostNode.Role.WORKER, KubernetesVersion.parse("v1.34.4"), PackagesSpec.Source.MIRROR, "http://10.78.0.1:8080",
        "10.78.0.1:5000/k8s", registries, null, null, "10.78.0.12", List.of(), null, null);
  }

  static String sha(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void thePauseImageFollowsTheMinorAndMovesWithTheKubeletInAnUpgrade() {
    NodePlan at135 = new NodePlan(HostNode.Role.WORKER, KubernetesVersion.parse("v1.35.4"), PackagesSpec.Source.MIRROR,
        "http://10.78.0.1:8080", "10.78.0.1:5000/k8s", List.of(), null, null, "10.78.0.12", List.of(), null, null);
    assertThat(at135.sandboxImage()).isEqualTo("10.78.0.1:5000/k8s/pause:3.10.1");
    NodePlan.Upgrade upgrade = new NodePlan.Upgrade(KubernetesVersion.parse("v1.35.4"), KubernetesVersion.parse("v1.36.3"),
        false);
    // kubeadm's half runs on the node still in service: containerd is left as it is
    assertThat(at135.withUpgrade(upgrade.kubeadmOnly()).sandboxImage()).endsWith("/pause:3.10.1");
    assertThat(at135.withUpgrade(upgrade).sandboxImage()).endsWith("/pause:3.10.2");
  }

  @Test
  void aPlainHttpRegistryIsWrittenAsContainerdDocumentsIt() {
    String toml = ContainerdStep.hostsToml(PLAIN);
    assertThat(toml).startsWith("# managed by cairn").contains("server = \"http://10.78.0.1:5000\"")
        .contains("[host.\"http://10.78.0.1:5000\"]").contains("capabilities = [\"pull\", \"resolve\"]")
        .doesNotContain("skip_verify");
    assertThat(ContainerdStep.hostsToml(new RegistrySpec("registry.lab", null, true)))
        .contains("server = \"https://registry.lab\"").contains("skip_verify = true");
    assertThat(ContainerdStep.hostsToml(new RegistrySpec("docker.io", null, null)))
        .contains("server = \"https://registry-1.docker.io\"");
  }

  @Test
  void theCheckWantsConfigPathAndExactlyTheSpecsManagedFiles() throws Exception {
    ContainerdStep step = new ContainerdStep();
    String written = "containerd.registries=10.78.0.1:5000=" + sha(ContainerdStep.hostsToml(PLAIN)) + "\n";
    String configPath = "containerd.config_path=/etc/containerd/certs.d\n";

    assertThat(step.check(HostFacts.parse(BASE + END), plan(List.of())).satisfied()).isTrue();
    assertThat(step.check(HostFacts.parse(BASE + END), plan(List.of(PLAIN))).message())
        .contains("config_path is '', want /etc/containerd/certs.d").contains("registry settings differ");
    assertThat(step.check(HostFacts.parse(BASE + configPath + written + END), plan(List.of(PLAIN))).satisfied()).isTrue();
    // containerd 2's default lists two directories
    assertThat(step.check(HostFacts.parse(BASE + "containerd.config_path=/etc/containerd/certs.d:/etc/docker/certs.d\n"
        + written + END), plan(List.of(PLAIN))).satisfied()).isTrue();
    // an edited file, and a file for a registry the spec no longer names
    assertThat(step.check(HostFacts.parse(BASE + configPath + "containerd.registries=10.78.0.1:5000=0000\n" + END),
        plan(List.of(PLAIN))).satisfied()).isFalse();
    assertThat(step.check(HostFacts.parse(BASE + configPath + written + END), plan(List.of())).message())
        .contains("registry settings differ");
  }

  @Test
  void theScriptSetsConfigPathOnlyWhenThereAreRegistriesAndPrunesWhatItWrote() {
    String none = ContainerdStep.script(dev.cairn.bootstrap.OsFamily.DEBIAN, plan(List.of()));
    assertThat(none).contains("CONFIG_PATH=''").contains("KEEP=''").doesNotContain("hosts.toml.cairn-new");
    String one = ContainerdStep.script(dev.cairn.bootstrap.OsFamily.DEBIAN, plan(List.of(PLAIN)));
    assertThat(one).contains("CONFIG_PATH='/etc/containerd/certs.d'").contains("KEEP='10.78.0.1:5000'")
        .contains("install -d -m 0755 '/etc/containerd/certs.d/10.78.0.1:5000'");
  }
}
