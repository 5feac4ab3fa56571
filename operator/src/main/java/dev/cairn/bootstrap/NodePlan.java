package dev.cairn.bootstrap;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.api.v1alpha1.RegistrySpec;
import dev.cairn.common.Cidr;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.kubeadm.KubeadmUpgradeConfig;
import java.time.Duration;
import java.util.List;

/**
 * Everything the steps need to know about what a node should become, resolved from the node's
 * and its Cluster's spec. Values here come from the spec: scripts quote them with
 * {@link dev.cairn.ssh.Shell#quote}.
 *
 * @param registries containerd's per-registry settings (never null)
 * @param peers the identities of the cluster's other nodes, for the uniqueness preflight
 * @param caFingerprint the cluster's identity on a host (see {@link Membership}); null while the
 *     cluster's CA is not available, and then hosts are not touched
 * @param membership how this host joins the cluster; null when it has nothing to do yet (waiting
 *     for the first control plane) or the cluster's CA is not available
 * @param upgrade the rollout step this member takes now; null when it stays at its version
 * @param renewal the certificate renewal this control plane may run now (its turn); null otherwise
 */
public record NodePlan(
    HostNode.Role role,
    KubernetesVersion kubernetesVersion,
    PackagesSpec.Source packageSource,
    String mirror,
    String imageRepository,
    List<RegistrySpec> registries,
    String advertiseAddress,
    String nodeSubnet,
    String sshAddress,
    List<Identity> peers,
    String caFingerprint,
    Membership membership,
    Upgrade upgrade,
    Renewal renewal) {

  public NodePlan {
    registries = registries == null ? List.of() : List.copyOf(registries);
  }

  /** A plan without an upgrade. */
  public NodePlan(HostNode.Role role, KubernetesVersion kubernetesVersion, PackagesSpec.Source packageSource,
      String mirror, String imageRepository, List<RegistrySpec> registries, String advertiseAddress, String nodeSubnet,
      String sshAddress, List<Identity> peers, String caFingerprint, Membership membership) {
    this(role, kubernetesVersion, packageSource, mirror, imageRepository, registries, advertiseAddress, nodeSubnet,
        sshAddress, peers, caFingerprint, membership, null, null);
  }

  /** A plan without a certificate renewal. */
  public NodePlan(HostNode.Role role, KubernetesVersion kubernetesVersion, PackagesSpec.Source packageSource,
      String mirror, String imageRepository, List<RegistrySpec> registries, String advertiseAddress, String nodeSubnet,
      String sshAddress, List<Identity> peers, String caFingerprint, Membership membership, Upgrade upgrade) {
    this(role, kubernetesVersion, packageSource, mirror, imageRepository, registries, advertiseAddress, nodeSubnet,
        sshAddress, peers, caFingerprint, membership, upgrade, null);
  }

  /**
   * A control plane's turn to renew its kubeadm certificates: they expire within
   * {@code renewBefore} (by the host's clock, the step checks again).
   *
   * @param healthWait how long each restarted control-plane component has to come back
   */
  public record Renewal(Duration renewBefore, Duration healthWait) {}

  /**
   * A member's move from the version it runs to the Cluster's new one, as kubeadm documents it.
   *
   * @param apply whether this is the control plane that runs {@code kubeadm upgrade apply} (the
   *     first); every other member runs {@code kubeadm upgrade node}
   * @param tuning the Cluster's kubeadm timeouts, which the upgrade waits with too
   * @param stage how much of it this host run takes
   */
  public record Upgrade(KubernetesVersion from, KubernetesVersion to, boolean apply, KubeadmTuning tuning,
      Stage stage) {
    /**
     * {@code SOURCE}: nothing moves yet, the host's package source is asked whether it offers the
     * target (every member, before the first control plane starts); {@code KUBEADM}: kubeadm's
     * half, on the node still in service; {@code WHOLE}: both halves, the kubelet's after the drain.
     */
    public enum Stage { SOURCE, KUBEADM, WHOLE }

    /** With kubeadm's and Cairn's default timeouts, both halves. */
    public Upgrade(KubernetesVersion from, KubernetesVersion to, boolean apply) {
      this(from, to, apply, KubeadmTuning.DEFAULTS, Stage.WHOLE);
    }

    public Upgrade withTuning(KubeadmTuning tuning) {
      return new Upgrade(from, to, apply, tuning, stage);
    }

    /** Only {@code kubeadm upgrade}: the kubelet waits for the drain. */
    public Upgrade kubeadmOnly() {
      return new Upgrade(from, to, apply, tuning, Stage.KUBEADM);
    }

    /** Only the look at the package source: the member's turn has not come. */
    public static Upgrade sourceOnly(KubernetesVersion from, KubernetesVersion to) {
      return new Upgrade(from, to, false, KubeadmTuning.DEFAULTS, Stage.SOURCE);
    }

    /** Whether the kubelet's half (kubelet, kubectl, the new minor's pause image) is in this run. */
    public boolean kubelet() {
      return stage == Stage.WHOLE;
    }

    /** kubeadm's UpgradeConfiguration for this step. */
    public String kubeadmConfig() {
      return new KubeadmUpgradeConfig(to, tuning).render();
    }
  }

  /** What must be unique per node within a cluster (kubeadm's preflight says the same). */
  public record Identity(String node, String hostname, String productUuid, List<String> macs) {}

  /**
   * The address Kubernetes components use on this host: the spec's, else the host's address
   * inside the Cluster's nodeSubnet (the seed's host-only NIC, never the NAT one), else the SSH
   * address. Empty when a nodeSubnet is set and no address of the host is inside it.
   */
  public String advertiseAddressOn(HostFacts facts) {
    if (advertiseAddress != null && !advertiseAddress.isBlank()) {
      return advertiseAddress;
    }
    if (nodeSubnet != null && !nodeSubnet.isBlank()) {
      return facts.list("addresses").stream().filter(a -> Cidr.parse(nodeSubnet).contains(a)).findFirst().orElse("");
    }
    return sshAddress;
  }

  /**
   * The pause image kubeadm of this minor expects, from the image repository in use; during an
   * upgrade, the target's, so containerd moves with the kubelet on the drained node.
   */
  public String sandboxImage() {
    KubernetesVersion v = upgrade != null && upgrade.kubelet() ? upgrade.to() : kubernetesVersion;
    String tag = !v.atLeast(1, 31) ? "3.9" : !v.atLeast(1, 34) ? "3.10" : !v.atLeast(1, 36) ? "3.10.1" : "3.10.2";
    return registry() + "/pause:" + tag;
  }

  public String registry() {
    return imageRepository == null || imageRepository.isBlank() ? "registry.k8s.io" : imageRepository;
  }

  /** This plan with {@code membership} in place of its own. */
  public NodePlan withMembership(Membership membership) {
    return new NodePlan(role, kubernetesVersion, packageSource, mirror, imageRepository, registries, advertiseAddress,
        nodeSubnet, sshAddress, peers, caFingerprint, membership, upgrade, renewal);
  }

  /** This plan with a member's upgrade. */
  public NodePlan withUpgrade(Upgrade upgrade) {
    return new NodePlan(role, kubernetesVersion, packageSource, mirror, imageRepository, registries, advertiseAddress,
        nodeSubnet, sshAddress, peers, caFingerprint, membership, upgrade, renewal);
  }

  /** This plan with a control plane's certificate renewal. */
  public NodePlan withRenewal(Renewal renewal) {
    return new NodePlan(role, kubernetesVersion, packageSource, mirror, imageRepository, registries, advertiseAddress,
        nodeSubnet, sshAddress, peers, caFingerprint, membership, upgrade, renewal);
  }

  /**
   * How long one kubeadm run (init, join, upgrade) may take on this node: the Cluster's kubeadm
   * timeouts and more; pulling images and starting etcd and the API server is slow on small or
   * emulated hosts.
   */
  public Duration kubeadmRunBudget() {
    return membership == null ? KubeadmTuning.DEFAULTS.runBudget() : membership.runBudget();
  }

  public boolean controlPlane() {
    return role == HostNode.Role.CONTROL_PLANE;
  }
}
