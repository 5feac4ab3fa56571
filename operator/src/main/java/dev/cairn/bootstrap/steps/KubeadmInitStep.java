package dev.cairn.bootstrap.steps;

import dev.cairn.status.ConditionType;

/**
 * {@code kubeadm init} on the first control plane, once. A host marked a member of this cluster
 * is not initialised again; what a failed or interrupted run left is reset before the retry
 * (never a host of another cluster: {@link ClusterIdentityStep} stops those first).
 */
public final class KubeadmInitStep extends KubeadmMembershipStep {
  static final String CONFIG = "/etc/cairn/kubeadm.yaml";

  public KubeadmInitStep() {
    super(CONFIG, "kubeadm init", "initialised this cluster", "not initialised");
  }

  @Override
  public String name() {
    return "kubeadm-init";
  }

  @Override
  public String condition() {
    return ConditionType.KUBEADM_INITIALIZED;
  }
}
