package dev.cairn.kubeadm;

import dev.cairn.common.KubernetesVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * kubeadm's UpgradeConfiguration (kubeadm.k8s.io/v1beta4) for {@code kubeadm upgrade apply} and
 * {@code kubeadm upgrade node --config}: the target version, the patches the node was set up with
 * (so the upgraded static Pods keep them), and the Cluster's timeouts, so a slow site that needed
 * long waits at init gets them at upgrade too (kubeadm's own default gives each upgraded static
 * Pod 5 minutes). Certificates are renewed by the upgrade, as kubeadm does by default. The patches
 * directory is always named: the upgrade script creates it when the node was set up without
 * patches (kubeadm reads an empty one as none).
 *
 * <p>kubeadm's {@code CreateJob} health check is skipped on apply: it starts a pod that tolerates
 * only the control-plane taint on some schedulable Node and gives it 60 seconds, short on a slow
 * host, and Cairn checks the cluster's health itself before the rollout moves (every member
 * Ready, etcd's /readyz); kubeadm still checks that every control-plane Node is Ready and its
 * static Pod manifests exist.
 */
public record KubeadmUpgradeConfig(KubernetesVersion to, KubeadmTuning tuning) {
  public String render() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "kubeadm.k8s.io/v1beta4");
    doc.put("kind", "UpgradeConfiguration");
    Map<String, Object> apply = new LinkedHashMap<>();
    apply.put("kubernetesVersion", to.toString());
    apply.put("certificateRenewal", true);
    apply.put("ignorePreflightErrors", java.util.List.of("CreateJob"));
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("certificateRenewal", true);
    apply.put("patches", Map.of("directory", KubeadmTuning.PATCHES_DIR));
    node.put("patches", Map.of("directory", KubeadmTuning.PATCHES_DIR));
    doc.put("apply", apply);
    doc.put("node", node);
    doc.put("timeouts", tuning.timeoutsDocument(KubeadmTuning.UPGRADE_TIMEOUTS));
    return new KubernetesSerialization().asYaml(doc);
  }
}
