package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterStatus implements ConditionedStatus {

  /** Informational only, derived from conditions: Pending, Provisioning, Provisioned, Deleting. */
  private String phase;
  private Long observedGeneration;
  private String controlPlaneEndpoint;
  /** The Kubernetes version every member runs: where a rollout starts from, and the version new nodes join at. */
  @io.fabric8.generator.annotation.Size(max = 16)
  private String kubernetesVersion;
  /** When the first of the control planes' kubeadm certificates expires (RFC 3339). */
  private String certificatesExpireAt;
  private LocalObjectReference kubeconfigSecretRef;
  private MemberCounts controlPlane;
  private MemberCounts workers;
  private CniStatus cni;
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

  public String getControlPlaneEndpoint() {
    return controlPlaneEndpoint;
  }

  public void setControlPlaneEndpoint(String controlPlaneEndpoint) {
    this.controlPlaneEndpoint = controlPlaneEndpoint;
  }

  public LocalObjectReference getKubeconfigSecretRef() {
    return kubeconfigSecretRef;
  }

  public void setKubeconfigSecretRef(LocalObjectReference kubeconfigSecretRef) {
    this.kubeconfigSecretRef = kubeconfigSecretRef;
  }

  public MemberCounts getControlPlane() {
    return controlPlane;
  }

  public void setControlPlane(MemberCounts controlPlane) {
    this.controlPlane = controlPlane;
  }

  public CniStatus getCni() {
    return cni;
  }

  public void setCni(CniStatus cni) {
    this.cni = cni;
  }

  public MemberCounts getWorkers() {
    return workers;
  }

  public void setWorkers(MemberCounts workers) {
    this.workers = workers;
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
    return o instanceof ClusterStatus that
        && Objects.equals(phase, that.phase)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(controlPlaneEndpoint, that.controlPlaneEndpoint)
        && Objects.equals(kubernetesVersion, that.kubernetesVersion)
        && Objects.equals(certificatesExpireAt, that.certificatesExpireAt)
        && Objects.equals(kubeconfigSecretRef, that.kubeconfigSecretRef)
        && Objects.equals(controlPlane, that.controlPlane)
        && Objects.equals(workers, that.workers)
        && Objects.equals(cni, that.cni)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, observedGeneration, controlPlaneEndpoint, conditions);
  }

  public String getKubernetesVersion() {
    return kubernetesVersion;
  }

  public void setKubernetesVersion(String kubernetesVersion) {
    this.kubernetesVersion = kubernetesVersion;
  }

  public String getCertificatesExpireAt() {
    return certificatesExpireAt;
  }

  public void setCertificatesExpireAt(String certificatesExpireAt) {
    this.certificatesExpireAt = certificatesExpireAt;
  }
}
