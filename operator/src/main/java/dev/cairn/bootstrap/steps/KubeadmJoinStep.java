package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.StepId;


/**
 * {@code kubeadm join}, as a worker or (with the CA material placed first) as another control
 * plane. A host marked a member of this cluster is not joined again; an interrupted join is reset
 * and retried; a host of another cluster is refused by {@link ClusterIdentityStep}.
 */
public final class KubeadmJoinStep extends KubeadmMembershipStep {
  static final String CONFIG = "/etc/cairn/kubeadm-join.yaml";

  public KubeadmJoinStep() {
    super(CONFIG, "kubeadm join", "member of this cluster", "not joined");
  }

  @Override
  public StepId id() {
    return StepId.KUBEADM_JOIN;
  }
}
