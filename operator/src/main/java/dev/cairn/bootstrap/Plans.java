package dev.cairn.bootstrap;

import dev.cairn.bootstrap.steps.CertificateRenewalStep;
import dev.cairn.bootstrap.steps.CertificatesStep;
import dev.cairn.bootstrap.steps.ClusterIdentityStep;
import dev.cairn.bootstrap.steps.ContainerdStep;
import dev.cairn.bootstrap.steps.KubeadmInitStep;
import dev.cairn.bootstrap.steps.KubeadmJoinStep;
import dev.cairn.bootstrap.steps.KubeadmUpgradeStep;
import dev.cairn.bootstrap.steps.KubeletRunningStep;
import dev.cairn.bootstrap.steps.KubeletUpgradeStep;
import dev.cairn.bootstrap.steps.KernelModulesStep;
import dev.cairn.bootstrap.steps.KubernetesPackagesStep;
import dev.cairn.bootstrap.steps.PreflightStep;
import dev.cairn.bootstrap.steps.RhelHostStep;
import dev.cairn.bootstrap.steps.SwapStep;
import dev.cairn.bootstrap.steps.SysctlStep;
import dev.cairn.bootstrap.steps.UpgradeSourceStep;
import java.util.ArrayList;
import java.util.List;

/** The ordered steps that turn a bare machine into one kubeadm accepts (the seed's section 3). */
public final class Plans {
  private Plans() {}

  /** Steps hold no state, so one list serves every node and every reconcile. */
  private static final List<Step> HOST_PREPARATION = List.of(new PreflightStep(), new SwapStep(),
      new KernelModulesStep(), new SysctlStep(), new RhelHostStep(), new ContainerdStep(), new KubernetesPackagesStep());

  public static List<Step> hostPreparation() {
    return HOST_PREPARATION;
  }

  private static final Step IDENTITY = new ClusterIdentityStep();
  private static final Step CERTIFICATES = new CertificatesStep();
  private static final Step INIT = new KubeadmInitStep();
  private static final Step JOIN = new KubeadmJoinStep();
  private static final Step KUBELET = new KubeletRunningStep();
  private static final Step UPGRADE_SOURCE = new UpgradeSourceStep();
  private static final Step KUBEADM_UPGRADE = new KubeadmUpgradeStep();
  private static final Step KUBELET_UPGRADE = new KubeletUpgradeStep();
  private static final Step CERTIFICATE_RENEWAL = new CertificateRenewalStep();

  /**
   * A node's whole plan: a host of another cluster is refused before anything else, then the
   * host is prepared, then it initialises or joins the cluster when its plan says so, then a
   * member in a rollout upgrades: kubeadm and its upgrade first, then (after the drain) the kubelet
   * (a member whose turn has not come only asks its package source for the target); a control
   * plane whose turn it is renews its certificates last (an upgrade renews them itself).
   */
  public static List<Step> forNode(NodePlan plan) {
    List<Step> steps = new ArrayList<>();
    if (plan.caFingerprint() != null) {
      steps.add(IDENTITY);
    }
    steps.addAll(HOST_PREPARATION);
    if (plan.membership() != null) {
      switch (plan.membership().kind()) {
        case INIT -> steps.addAll(List.of(CERTIFICATES, INIT));
        case JOIN_CONTROL_PLANE -> steps.addAll(List.of(CERTIFICATES, JOIN));
        case JOIN_WORKER -> steps.add(JOIN);
      }
      steps.add(KUBELET);
    }
    if (plan.upgrade() != null && plan.upgrade().stage() == NodePlan.Upgrade.Stage.SOURCE) {
      steps.add(UPGRADE_SOURCE);
    } else if (plan.upgrade() != null) {
      steps.add(KUBEADM_UPGRADE);
      if (plan.upgrade().kubelet()) {
        steps.add(KUBELET_UPGRADE);
      }
    }
    if (plan.renewal() != null && plan.controlPlane()) {
      steps.add(CERTIFICATE_RENEWAL);
    }
    return List.copyOf(steps);
  }

  /** Whether a step of this plan will write the kubeadm config on a host with these facts. */
  public static boolean needsKubeadmConfig(HostFacts facts, NodePlan plan) {
    return forNode(plan).stream().anyMatch(step -> step.needsKubeadmConfig(facts, plan));
  }
}
