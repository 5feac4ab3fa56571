package dev.cairn.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.KubeadmTimeouts;
import dev.cairn.common.KubernetesVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UpgradeConfiguration a rollout hands kubeadm ({@code KubeadmConfigValidateIT} has kubeadm check it). */
class KubeadmUpgradeConfigTest {
  @SuppressWarnings("unchecked")
  private static Map<String, Object> render(KubeadmTuning tuning) {
    return new KubernetesSerialization().unmarshal(
        new KubeadmUpgradeConfig(KubernetesVersion.parse("v1.37.2"), tuning).render(), Map.class);
  }

  @Test
  void namesTheTargetThePatchesAndRenewsCertificates() {
    Map<String, Object> doc = render(KubeadmTuning.DEFAULTS);
    assertThat(doc).containsEntry("apiVersion", "kubeadm.k8s.io/v1beta4").containsEntry("kind", "UpgradeConfiguration");
    assertThat((Map<String, Object>) doc.get("apply")).containsEntry("kubernetesVersion", "v1.37.2")
        .containsEntry("certificateRenewal", true)
        .containsEntry("ignorePreflightErrors", java.util.List.of("CreateJob"))
        .containsEntry("patches", Map.of("directory", KubeadmTuning.PATCHES_DIR));
    assertThat((Map<String, Object>) doc.get("node")).containsEntry("certificateRenewal", true)
        .containsEntry("patches", Map.of("directory", KubeadmTuning.PATCHES_DIR));
  }

  @Test
  void waitsAsLongAsTheClusterSaysAndNotWithTheJoinOnlyTimeouts() {
    ClusterSpec spec = new ClusterSpec();
    spec.setKubeadmTimeouts(new KubeadmTimeouts("40m", "20m", "10m", "10m", "20m", "20m", "25m"));
    Map<String, Object> timeouts = (Map<String, Object>) render(KubeadmTuning.of(spec)).get("timeouts");
    assertThat(timeouts).containsExactlyInAnyOrderEntriesOf(Map.of("controlPlaneComponentHealthCheck", "40m0s",
        "kubeletHealthCheck", "20m0s", "kubernetesAPICall", "10m0s", "etcdAPICall", "10m0s", "upgradeManifests", "25m0s"));
  }

  @Test
  void withoutTimeoutsInTheSpecAnUpgradedStaticPodGetsCairnsTenMinutesNotKubeadmsFive() {
    Map<String, Object> timeouts = (Map<String, Object>) render(KubeadmTuning.DEFAULTS).get("timeouts");
    assertThat(timeouts).containsEntry("upgradeManifests", "10m0s");
  }
}
