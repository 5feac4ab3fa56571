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

  /**
   * The Kubernetes minor versions Cairn takes, oldest first: the three upstream supports. The
   * offline lab proves the newest two (it creates a cluster at the one before the newest and
   * upgrades it). The one list: the CRD's pattern is made from it, {@link #supportedMinors()}
   * reads it, the README, the examples and the lab are checked against it.
   */
  public static final String SUPPORTED_MINORS = "35|36|37";

  static final String VERSION_PATTERN = "^v1\\.(" + SUPPORTED_MINORS + ")\\.(0|[1-9][0-9]{0,2})$";

  /**
   * CEL: the minor and patch numbers of a version {@code v1.MINOR.PATCH} the pattern accepted, whose
   * minor has two digits (substring is cheap enough for the API server's cost budget; split is not).
   */
  private static final String MINOR = "int(self.substring(3, 5))";
  private static final String OLD_MINOR = "int(oldSelf.substring(3, 5))";
  private static final String PATCH = "int(self.substring(6))";
  private static final String OLD_PATCH = "int(oldSelf.substring(6))";

  @Required
  @Size(max = 16)
  @Pattern(VERSION_PATTERN)
  @ValidationRule(
      value = MINOR + " > " + OLD_MINOR + " || (" + MINOR + " == " + OLD_MINOR + " && " + PATCH + " >= " + OLD_PATCH + ")",
      messageExpression = "'kubernetesVersion cannot go back from ' + oldSelf + ' to ' + self"
          + " + ': kubeadm does not downgrade a running cluster; keep ' + oldSelf + ' or move forward'",
      reason = "FieldValueForbidden")
  @ValidationRule(
      value = MINOR + " <= " + OLD_MINOR + " + 1",
      messageExpression = "'kubernetesVersion moves at most one minor version per change, as kubeadm upgrades: from '"
          + " + oldSelf + ' to ' + self + ' skips a minor; go to the next minor first, and on once that rollout is done'",
      reason = "FieldValueForbidden")
  @JsonPropertyDescription("Kubernetes version as v1.MINOR.PATCH, of a supported minor (1.35 to 1.37); pins kubeadm, kubelet and kubectl to exactly this patch level. A change upgrades the running cluster: forward only, one minor at a time.")
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

  @JsonPropertyDescription("How a version change rolls through the running cluster: control planes one at a time, then workers, maxUnavailable at once.")
  private RolloutSpec rollout;

  @JsonPropertyDescription("When the control planes' kubeadm certificates are renewed, and their lifetime.")
  private CertificatesSpec certificates;

  public CertificatesSpec getCertificates() {
    return certificates;
  }

  public void setCertificates(CertificatesSpec certificates) {
    this.certificates = certificates;
  }

  /** The certificates' settings, defaults where the spec is silent. */
  public CertificatesSpec certificatesOrDefault() {
    return certificates == null ? new CertificatesSpec(null, null) : certificates;
  }

  /** The supported minors as {@code 1.MINOR}, oldest first. */
  public static java.util.List<String> supportedMinors() {
    return java.util.Arrays.stream(SUPPORTED_MINORS.split("\\|")).map(m -> "1." + m).toList();
  }

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

  public RolloutSpec getRollout() {
    return rollout;
  }

  public void setRollout(RolloutSpec rollout) {
    this.rollout = rollout;
  }

  /** How many workers a rollout takes out at once. */
  public int maxUnavailableWorkers() {
    return rollout == null ? 1 : rollout.maxUnavailableOrDefault();
  }
}
