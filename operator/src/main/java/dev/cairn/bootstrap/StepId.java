package dev.cairn.bootstrap;

import dev.cairn.status.ConditionType;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every step Cairn runs on a host, in plan order, with the name {@code status.steps} shows and
 * the node condition it serves: the one place that says which step feeds which condition, read
 * by the steps, the reconciler's rules and the deletion alike.
 */
public enum StepId {
  CLUSTER_IDENTITY("cluster-identity", ConditionType.PREFLIGHT_PASSED),
  PREFLIGHT("preflight", ConditionType.PREFLIGHT_PASSED),
  SWAP_OFF("swap-off", ConditionType.HOST_PREPARED),
  KERNEL_MODULES("kernel-modules", ConditionType.HOST_PREPARED),
  SYSCTL("sysctl", ConditionType.HOST_PREPARED),
  SELINUX_FIREWALL("selinux-firewall", ConditionType.HOST_PREPARED),
  CONTAINERD("containerd", ConditionType.CONTAINER_RUNTIME_READY),
  KUBERNETES_PACKAGES("kubernetes-packages", ConditionType.KUBERNETES_INSTALLED),
  /** The cluster's CAs into /etc/kubernetes/pki, before kubeadm init or a control plane's join. */
  CERTIFICATES("certificates", ConditionType.KUBEADM_INITIALIZED),
  KUBEADM_INIT("kubeadm-init", ConditionType.KUBEADM_INITIALIZED),
  KUBEADM_JOIN("kubeadm-join", ConditionType.JOINED),
  KUBELET("kubelet", ConditionType.JOINED),
  /** A member behind the Cluster's version, before the rollout starts: its package source offers the target. */
  UPGRADE_SOURCE("upgrade-source", ConditionType.UP_TO_DATE),
  /** A member's upgrade: kubeadm at the target version, then kubeadm upgrade apply (first control plane) or node. */
  KUBEADM_UPGRADE("kubeadm-upgrade", ConditionType.UP_TO_DATE),
  /** Then kubelet and kubectl at the target version, and the kubelet restarted on them. */
  KUBELET_UPGRADE("kubelet-upgrade", ConditionType.UP_TO_DATE),
  /** A control plane's kubeadm certificates renewed before they expire, its static Pods restarted on them. */
  CERTIFICATE_RENEWAL("certificate-renewal", ConditionType.UP_TO_DATE);

  private final String stepName;
  private final String condition;

  StepId(String stepName, String condition) {
    this.stepName = stepName;
    this.condition = condition;
  }

  /** The name in {@code status.steps}, e.g. {@code kubeadm-join}. */
  public String stepName() {
    return stepName;
  }

  /** The node condition this step contributes to. */
  public String condition() {
    return condition;
  }

  /** Whether this step changes the host's membership: what a deletion must undo once it ran. */
  public boolean membership() {
    return this == CERTIFICATES || this == KUBEADM_INIT || this == KUBEADM_JOIN;
  }

  /** The step of that status name; empty for a name no step has (a status written by another version). */
  public static Optional<StepId> named(String stepName) {
    return Arrays.stream(values()).filter(s -> s.stepName.equals(stepName)).findFirst();
  }
}
