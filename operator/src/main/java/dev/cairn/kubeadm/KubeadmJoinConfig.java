package dev.cairn.kubeadm;

import dev.cairn.common.KubernetesVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the JoinConfiguration for {@code kubeadm join} of a worker or of a further control
 * plane, in the {@code kubeadm.k8s.io} API version of the Kubernetes minor (as
 * {@link KubeadmConfig}). Discovery is by bootstrap token pinned to the cluster CA's public key
 * hash, never unsafe-skip. A further control plane gets no certificate key: Cairn placed the CA
 * material on it over SSH beforehand.
 *
 * @param apiServerEndpoint host:port of the cluster's control-plane endpoint
 * @param token a bootstrap token, a secret: the rendered file is one too
 * @param caCertHash {@code sha256:<hex>} of the CA's public key
 * @param advertiseAddress the node's address on the node network: kubelet's node IP and, for a
 *     control plane, where its API server listens
 */
public record KubeadmJoinConfig(
    KubernetesVersion kubernetesVersion,
    String apiServerEndpoint,
    String token,
    String caCertHash,
    String advertiseAddress,
    boolean controlPlane,
    boolean schedulableControlPlane,
    KubeadmTuning tuning) {

  public String apiVersion() {
    return kubernetesVersion.atLeast(1, 31) ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
  }

  private boolean v1beta4() {
    return apiVersion().endsWith("v1beta4");
  }

  public String render() {
    Map<String, Object> join = new LinkedHashMap<>();
    join.put("apiVersion", apiVersion());
    join.put("kind", "JoinConfiguration");
    Map<String, Object> bootstrapToken = new LinkedHashMap<>();
    bootstrapToken.put("apiServerEndpoint", apiServerEndpoint);
    bootstrapToken.put("token", token);
    bootstrapToken.put("caCertHashes", List.of(caCertHash));
    Map<String, Object> discovery = new LinkedHashMap<>();
    discovery.put("bootstrapToken", bootstrapToken);
    if (!v1beta4()) {
      discovery.put("timeout", tuning.timeout("discovery"));
    }
    join.put("discovery", discovery);
    Map<String, Object> registration = new LinkedHashMap<>();
    registration.put("criSocket", "unix:///var/run/containerd/containerd.sock");
    registration.put("kubeletExtraArgs", v1beta4()
        ? List.of(KubeadmTuning.nameValue("node-ip", advertiseAddress))
        : Map.of("node-ip", advertiseAddress));
    if (controlPlane && schedulableControlPlane) {
      registration.put("taints", List.of());
    }
    join.put("nodeRegistration", registration);
    if (controlPlane) {
      Map<String, Object> local = new LinkedHashMap<>();
      local.put("advertiseAddress", advertiseAddress);
      local.put("bindPort", 6443);
      join.put("controlPlane", Map.of("localAPIEndpoint", local));
      if (tuning.patches()) {
        join.put("patches", Map.of("directory", KubeadmTuning.PATCHES_DIR));
      }
    }
    if (v1beta4()) {
      join.put("timeouts", tuning.timeoutsDocument(KubeadmTuning.JOIN_TIMEOUTS));
    }
    // no KubeletConfiguration: a joining kubelet takes the cluster's from the kubelet-config ConfigMap
    return new KubernetesSerialization().asYaml(join);
  }

  @Override
  public String toString() {
    return "KubeadmJoinConfig[" + apiServerEndpoint + (controlPlane ? ", control plane" : ", worker") + ", token=(hidden)]";
  }
}
