package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterSpec {
  /** host:port where host is a DNS name, an IPv4 address or a bracketed IPv6 address, and port is 1-65535. */
  static final String ENDPOINT_PATTERN =
      "^$|^([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?([.][a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])"
          + ":([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

  @Required
  @Pattern("^v1\\.(29|[3-9][0-9])\\.(0|[1-9][0-9]{0,2})$")
  @JsonPropertyDescription("Kubernetes version as v1.MINOR.PATCH, v1.29.0 or newer; pins kubeadm, kubelet and kubectl to exactly this patch level.")
  private String kubernetesVersion;

  @Pattern(ENDPOINT_PATTERN)
  @JsonPropertyDescription("host:port of the API server for all nodes (a VIP or load balancer). Required for more than one control plane; empty: the first control plane's advertise address and port 6443.")
  private String controlPlaneEndpoint;

  @JsonPropertyDescription("The seed's three networks: node, pod and service, and the CNI.")
  @Default("{}")
  private NetworkSpec network = new NetworkSpec();

  @Default("{}")
  private ControlPlaneSpec controlPlane = new ControlPlaneSpec();

  @Default("{}")
  private PackagesSpec packages = new PackagesSpec();

  @Pattern("^$|^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")
  @JsonPropertyDescription("Registry (and path) that replaces registry.k8s.io for kubeadm and the CNI images, for air-gapped sites.")
  private String imageRepository;

  @Size(max = 32)
  @ValidationRule(value = "self.all(r, self.exists_one(o, o.host == r.host))", message = "each registry host may appear once")
  @JsonPropertyDescription("containerd settings per registry (plain HTTP, unverified TLS), written to /etc/containerd/certs.d on every node.")
  private List<RegistrySpec> registries;

  @JsonPropertyDescription("kubeadm's timeouts for init and join; raise them for slow or emulated machines.")
  private KubeadmTimeouts kubeadmTimeouts;

  @JsonPropertyDescription("Stop all host work for this cluster and its nodes; Paused=True while set.")
  private Boolean paused;

  public String getKubernetesVersion() {
    return kubernetesVersion;
  }

  public void setKubernetesVersion(String kubernetesVersion) {
    this.kubernetesVersion = kubernetesVersion;
  }

  public String getControlPlaneEndpoint() {
    return controlPlaneEndpoint;
  }

  public void setControlPlaneEndpoint(String controlPlaneEndpoint) {
    this.controlPlaneEndpoint = controlPlaneEndpoint;
  }

  public NetworkSpec getNetwork() {
    return network;
  }

  public void setNetwork(NetworkSpec network) {
    this.network = network;
  }

  public ControlPlaneSpec getControlPlane() {
    return controlPlane;
  }

  public void setControlPlane(ControlPlaneSpec controlPlane) {
    this.controlPlane = controlPlane;
  }

  public PackagesSpec getPackages() {
    return packages;
  }

  public void setPackages(PackagesSpec packages) {
    this.packages = packages;
  }

  public String getImageRepository() {
    return imageRepository;
  }

  public void setImageRepository(String imageRepository) {
    this.imageRepository = imageRepository;
  }

  public Boolean getPaused() {
    return paused;
  }

  public void setPaused(Boolean paused) {
    this.paused = paused;
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(paused);
  }

  public List<RegistrySpec> getRegistries() {
    return registries;
  }

  public void setRegistries(List<RegistrySpec> registries) {
    this.registries = registries;
  }

  public KubeadmTimeouts getKubeadmTimeouts() {
    return kubeadmTimeouts;
  }

  public void setKubeadmTimeouts(KubeadmTimeouts kubeadmTimeouts) {
    this.kubeadmTimeouts = kubeadmTimeouts;
  }
}
