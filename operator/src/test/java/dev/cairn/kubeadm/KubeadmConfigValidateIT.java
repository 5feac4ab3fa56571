package dev.cairn.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.common.KubernetesVersion;
import dev.cairn.testing.Artifacts;
import dev.cairn.testing.Testbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubeadm itself (the version of the test binaries, built from Kubernetes' Go module by scripts/build-cluster-binaries.sh)
 * accepts what Cairn renders, and rejects a broken config, so the check is real.
 */
class KubeadmConfigValidateIT {
  private static final String VERSION =
      System.getProperty("cairn.kube.version", dev.cairn.runtime.EmbeddedManagementCluster.DEFAULT_VERSION);
  private static Path kubeadm;

  @BeforeAll
  static void kubeadm() {
    Testbed.run(Map.of("KUBE_VERSION", "v" + VERSION), 1800, "../scripts/build-cluster-binaries.sh", "kubernetes:kubeadm");
    kubeadm = Artifacts.kubernetesBinaries("v" + VERSION).resolve("kubeadm");
    assertThat(kubeadm).isExecutable();
  }

  @Test
  void kubeadmAcceptsEveryRenderedV1beta4Config(@TempDir Path tmp) throws Exception {
    for (var entry : KubeadmConfigTest.cases().entrySet()) {
      if (!entry.getValue().apiVersion().endsWith("v1beta4")) {
        continue; // v1beta3 needs a kubeadm <= 1.30, which is not built here; golden files cover it
      }
      Path file = Files.writeString(tmp.resolve(entry.getKey() + ".yaml"), entry.getValue().render());
      String[] result = validate(file);
      assertThat(result[0]).as("%s: %s", entry.getKey(), result[1]).isEqualTo("0");
    }
  }

  @Test
  void kubeadmAcceptsEveryRenderedV1beta4JoinConfig(@TempDir Path tmp) throws Exception {
    for (var entry : KubeadmConfigTest.joinCases().entrySet()) {
      if (!entry.getValue().apiVersion().endsWith("v1beta4")) {
        continue;
      }
      Path file = Files.writeString(tmp.resolve(entry.getKey() + ".yaml"), entry.getValue().render());
      String[] result = validate(file);
      assertThat(result[0]).as("%s: %s", entry.getKey(), result[1]).isEqualTo("0");
    }
  }

  @Test
  void kubeadmAcceptsTheRenderedUpgradeConfig(@TempDir Path tmp) throws Exception {
    for (KubeadmTuning tuning : List.of(KubeadmTuning.DEFAULTS, KubeadmConfigTest.tuned())) {
      String config = new KubeadmUpgradeConfig(KubernetesVersion.parse("v" + VERSION), tuning).render();
      String[] result = validate(Files.writeString(tmp.resolve("upgrade.yaml"), config));
      assertThat(result[0]).as(result[1]).isEqualTo("0");
    }
  }

  @Test
  void kubeadmRejectsABrokenConfig(@TempDir Path tmp) throws Exception {
    KubeadmConfig broken = new KubeadmConfig("demo", KubernetesVersion.parse("v1.37.2"), "192.168.56.30", "", "20.96.0.0/12",
        "not-a-cidr", "", false, KubeadmConfigTest.TOKEN, Duration.ofMinutes(15),
        KubeadmTuning.DEFAULTS);
    String[] result = validate(Files.writeString(tmp.resolve("broken.yaml"), broken.render()));
    assertThat(result[0]).isNotEqualTo("0");
    assertThat(result[1]).contains("serviceSubnet");
  }

  private static String[] validate(Path config) throws Exception {
    Process p = new ProcessBuilder(kubeadm.toString(), "config", "validate", "--config", config.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out.replace(KubeadmConfigTest.TOKEN, "[token]")};
  }
}
