package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.StepId;


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
  public StepId id() {
    return StepId.KUBEADM_INIT;
  }
}
