package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatus implements ConditionedStatus {

  /** Informational only, derived from conditions: Pending, Provisioning, Running, Updating, Deleting. */
  private String phase;
  private Long observedGeneration;
  /** SHA256 fingerprint of the host key seen on first contact (or pinned); enforced from then on. */
  private String hostKeyFingerprint;
  private HostIdentity hostIdentity;
  private String nodeName;
  private String kubeletVersion;
  /** The Kubernetes version Cairn installed on this node, or upgraded it to; a member keeps it until a rollout moves it. */
  private String kubernetesVersion;
  /** When this control plane's first kubeadm certificate expires (RFC 3339), as its host last said. */
  private String certificatesExpireAt;
  /**
   * Why some of this control plane's certificates could not be read on its host (openssl missing,
   * a damaged file); absent when all could. Their expiry is then unknown to Cairn.
   */
  private String certificatesUnreadable;
  /**
   * When Cairn renewed the certificates this control plane has (RFC 3339, the host's clock); absent
   * when they came otherwise (init, an upgrade). Certificates due again within an hour of it are
   * not renewed again before that hour, or half the time left to their expiry if that is sooner.
   */
  private String certificatesRenewedAt;
  /**
   * The version whose kubeadm, kubelet and kubectl this member's package source was last seen to
   * offer: asked while the member waits for a rollout; the rollout starts once every member's says yes.
   */
  private String packagesAvailable;
  /** The version this node's upgrade under way goes to; it finishes that one before any later spec change. */
  private String upgradingTo;
  private List<StepStatus> steps = new ArrayList<>();
  private List<Condition> conditions = new ArrayList<>();

  @Override
  public String getPhase() {
    return phase;
  }

  @Override
  public void setPhase(String phase) {
    this.phase = phase;
  }

  @Override
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  @Override
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getHostKeyFingerprint() {
    return hostKeyFingerprint;
  }

  public void setHostKeyFingerprint(String hostKeyFingerprint) {
    this.hostKeyFingerprint = hostKeyFingerprint;
  }

  public HostIdentity getHostIdentity() {
    return hostIdentity;
  }

  public void setHostIdentity(HostIdentity hostIdentity) {
    this.hostIdentity = hostIdentity;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getKubeletVersion() {
    return kubeletVersion;
  }

  public void setKubeletVersion(String kubeletVersion) {
    this.kubeletVersion = kubeletVersion;
  }

  public List<StepStatus> getSteps() {
    return steps;
  }

  public void setSteps(List<StepStatus> steps) {
    this.steps = steps;
  }

  @Override
  public List<Condition> getConditions() {
    return conditions;
  }

  @Override
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeStatus that
        && Objects.equals(phase, that.phase)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(hostKeyFingerprint, that.hostKeyFingerprint)
        && Objects.equals(hostIdentity, that.hostIdentity)
        && Objects.equals(nodeName, that.nodeName)
        && Objects.equals(kubeletVersion, that.kubeletVersion)
        && Objects.equals(kubernetesVersion, that.kubernetesVersion)
        && Objects.equals(certificatesExpireAt, that.certificatesExpireAt)
        && Objects.equals(certificatesUnreadable, that.certificatesUnreadable)
        && Objects.equals(certificatesRenewedAt, that.certificatesRenewedAt)
        && Objects.equals(upgradingTo, that.upgradingTo)
        && Objects.equals(packagesAvailable, that.packagesAvailable)
        && Objects.equals(steps, that.steps)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, observedGeneration, hostKeyFingerprint, nodeName, conditions);
  }

  public String getKubernetesVersion() {
    return kubernetesVersion;
  }

  public void setKubernetesVersion(String kubernetesVersion) {
    this.kubernetesVersion = kubernetesVersion;
  }

  public String getUpgradingTo() {
    return upgradingTo;
  }

  public void setUpgradingTo(String upgradingTo) {
    this.upgradingTo = upgradingTo;
  }

  public String getCertificatesExpireAt() {
    return certificatesExpireAt;
  }

  public void setCertificatesExpireAt(String certificatesExpireAt) {
    this.certificatesExpireAt = certificatesExpireAt;
  }

  public String getCertificatesRenewedAt() {
    return certificatesRenewedAt;
  }

  public void setCertificatesRenewedAt(String certificatesRenewedAt) {
    this.certificatesRenewedAt = certificatesRenewedAt;
  }

  public String getCertificatesUnreadable() {
    return certificatesUnreadable;
  }

  public void setCertificatesUnreadable(String certificatesUnreadable) {
    this.certificatesUnreadable = certificatesUnreadable;
  }

  public String getPackagesAvailable() {
    return packagesAvailable;
  }

  public void setPackagesAvailable(String packagesAvailable) {
    this.packagesAvailable = packagesAvailable;
  }
}
