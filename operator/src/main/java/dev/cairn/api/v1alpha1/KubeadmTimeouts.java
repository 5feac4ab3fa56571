package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * kubeadm's timeouts (InitConfiguration/JoinConfiguration/UpgradeConfiguration {@code timeouts} of
 * kubeadm.k8s.io/v1beta4)
 * as durations such as 90s, 10m or 1h30m. Unset: Cairn's defaults (10m for the control plane's
 * health check, discovery and TLS bootstrap), else kubeadm's. Kubernetes before 1.31 (v1beta3)
 * knows only the control-plane health check and discovery timeouts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KubeadmTimeouts(
    @Pattern(DURATION) @JsonPropertyDescription("How long kubeadm waits for the control-plane static Pods to be healthy.")
    String controlPlaneComponentHealthCheck,
    @Pattern(DURATION) @JsonPropertyDescription("How long kubeadm waits for the kubelet to be healthy.")
    String kubeletHealthCheck,
    @Pattern(DURATION) @JsonPropertyDescription("Timeout of each kubeadm call to the API server.")
    String kubernetesAPICall,
    @Pattern(DURATION) @JsonPropertyDescription("Timeout of each kubeadm call to etcd.")
    String etcdAPICall,
    @Pattern(DURATION) @JsonPropertyDescription("How long a joining kubelet has for its TLS bootstrap.")
    String tlsBootstrap,
    @Pattern(DURATION) @JsonPropertyDescription("How long a joining node has to find and trust the cluster.")
    String discovery,
    @Pattern(DURATION) @JsonPropertyDescription("How long kubeadm upgrade waits for each upgraded control-plane static Pod to come back.")
    String upgradeManifests) {

  /** Without an upgrade timeout (kubeadm's default, 5m, or Cairn's for a tuned health check). */
  public KubeadmTimeouts(String controlPlaneComponentHealthCheck, String kubeletHealthCheck, String kubernetesAPICall,
      String etcdAPICall, String tlsBootstrap, String discovery) {
    this(controlPlaneComponentHealthCheck, kubeletHealthCheck, kubernetesAPICall, etcdAPICall, tlsBootstrap, discovery,
        null);
  }

  static final String DURATION = "^([1-9][0-9]*h)?([1-9][0-9]*m)?([1-9][0-9]*s)?$";
}
